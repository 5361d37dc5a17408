#!/usr/bin/env bash
# Runs the benchmark suite (see docs/benchmarks.md). "quick" gives a rough pass in a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
java -Dbenchmarks.module=benchmarks -cp "$CP" dev.llmotel.benchmarks.StartupBenchmark
if [ "${1:-}" != "quick" ]; then
  java -Dbenchmarks.module=benchmarks -cp "$CP" dev.llmotel.benchmarks.MemoryBenchmark 1000000
fi
exec java -Dbenchmarks.module=benchmarks -cp "$CP" dev.llmotel.benchmarks.BenchmarkSuite "$@"

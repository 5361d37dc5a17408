#!/usr/bin/env bash
# Runs the benchmark suite (see docs/benchmarks.md). "quick" gives a rough pass in a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl instrumentation/openai-java,instrumentation/anthropic-java,instrumentation/okhttp dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
run() { java -Dbenchmarks.module=benchmarks -cp "$CP" "dev.llmotel.benchmarks.$1" "${@:2}"; }
run HookCostBenchmark
run StartupBenchmark
if [ "${1:-}" != "quick" ]; then
  run MemoryBenchmark 1000000
fi
run BenchmarkSuite "$@"
run ProfileBenchmark

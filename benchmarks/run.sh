#!/usr/bin/env bash
# Runs the benchmark suite (see docs/benchmarks.md). "quick" gives a rough pass in a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl instrumentation/openai-java,instrumentation/anthropic-java,instrumentation/okhttp dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# JVM_FLAGS: extra system properties for one benchmark (JVM_FLAGS=... run NAME).
run() { java -Dbenchmarks.module=benchmarks ${JVM_FLAGS:-} -cp "$CP" "dev.llmotel.benchmarks.$1" "${@:2}"; }
# CPU and allocation per call side by side (section 0 of docs/benchmarks.md), with a throwaway Redis on
# loopback for the shared-store configuration when redis-server is installed.
REDIS_URL=""
if command -v redis-server >/dev/null; then
  REDIS_DIR=$(mktemp -d)
  REDIS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$REDIS_DIR/pid" >/dev/null
  trap 'kill "$(cat "$REDIS_DIR/pid")" 2>/dev/null || true' EXIT
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
# Each probe JVM warms up until the JIT settles (about 2 to 3 minutes each with every workload); quick caps it.
if [ "${1:-}" = quick ]; then
  JVM_FLAGS=-Dbenchmark.max-warm-cycles=5 run CpuPerCallBenchmark 3 $REDIS_URL
else
  run CpuPerCallBenchmark 5 $REDIS_URL
fi
run HookCostBenchmark
run StartupBenchmark
if [ "${1:-}" != "quick" ]; then
  run MemoryBenchmark 1000000
fi
run BenchmarkSuite "$@"
run ProfileBenchmark

#!/usr/bin/env bash
# Where a call's CPU goes under the agent (docs/benchmarks.md, section 0, "The profile, before and after"):
# one CallProbe JVM with llm-otel, exporters off, Java Flight Recorder sampling the calling thread every
# millisecond; prints CPU per call of each round and llm-otel's share of the calling thread's samples by part.
#   benchmarks/profile-call.sh [workload] [calls per round] [extension jar]    (after mvn install -DskipTests)
# With "upstream" for the jar, the agent's own OpenAI instrumentation instead of llm-otel, for
# benchmarks/jfr-own-work.py to set the two recordings side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKLOAD=${1:-short}
CALLS=${2:-20000}
EXTENSION=${3:-javaagent-extension/target/llm-otel-extension.jar}
AGENT=$(ls ~/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.31.1/opentelemetry-javaagent-2.31.1.jar)
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
INSTRUMENTATION="-Dotel.javaagent.extensions=$EXTENSION"
[ "$EXTENSION" = upstream ] && INSTRUMENTATION="-Dotel.instrumentation.openai.enabled=true"
# Exporters off by default. EXPORT_MODE=otlp keeps the SDK's export pipeline (a metric reader, the batch span
# processor) on the calling thread's path, as in production; the exports themselves go nowhere.
EXPORT="-Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
[ "${EXPORT_MODE:-none}" = otlp ] && EXPORT="-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9 -Dotel.logs.exporter=none"
OUT=$(mktemp -d)
java -cp "$CP" dev.llmotel.benchmarks.BenchmarkLlmServers 200 > "$OUT/servers" &
SERVERS=$!
trap 'kill $SERVERS 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q STREAM_URL "$OUT/servers" 2>/dev/null && break; sleep 0.2; done
CHAT=$(awk '/CHAT_URL/{print $2}' "$OUT/servers")
STREAM=$(awk '/STREAM_URL/{print $2}' "$OUT/servers")
printf '%s %s\n%s %s\n%s %s\nEXIT\n' "$WORKLOAD" "$CALLS" "$WORKLOAD" "$CALLS" "$WORKLOAD" "$CALLS" \
  | java -Xmx1g -javaagent:"$AGENT" "$INSTRUMENTATION" -Dotel.javaagent.logging=none \
      $EXPORT \
      "-XX:StartFlightRecording:filename=$OUT/call.jfr,settings=profile,jdk.ExecutionSample#period=1ms" \
      -cp "$CP" dev.llmotel.benchmarks.CallProbe "$CHAT" "$STREAM" 2>/dev/null \
  | awk -v c="$CALLS" '/^RESULT/{printf "round: calling thread %.1f µs per call, process %.1f µs, %.1f KB\n", $2/c/1000, $3/c/1000, $4/c/1024}'
[ "$EXTENSION" = upstream ] || python3 benchmarks/jfr-shares.py "$OUT/call.jfr"
echo "recording: $OUT/call.jfr"

#!/usr/bin/env bash
# Runs the demo: a tool-using assistant on the OpenAI SDK, started under the OpenTelemetry Java
# agent with the llm-otel extension, against a local fake LLM; its traces are printed as trees.
# ./demo.sh --zipkin sends them to a Zipkin server started from its jar instead (no Docker needed).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f javaagent-extension/target/llm-otel-extension.jar ] || [ ! -f examples/openai-agent/target/classpath.txt ] \
    || [ ! -f examples/openai-agent/target/zipkin/zipkin-server.jar ]; then
  mvn -B -q install -DskipTests
fi
CP="examples/openai-agent/target/classes:$(cat examples/openai-agent/target/classpath.txt)"
exec java -cp "$CP" dev.llmotel.examples.agent.DemoLauncher examples/openai-agent "$@"

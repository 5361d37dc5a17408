#!/usr/bin/env python3
"""llm-otel's share of a CallProbe's calling-thread CPU samples, by part (benchmarks/profile-call.sh).

Reads `jfr print` of a recording; keeps the last third of the calling thread's samples (warm). A sample counts for
llm-otel when an llm-otel frame is on its stack, except where that frame only passes OkHttp's chain on (the request
itself) or where the agent's propagator injects trace context through llm-otel's baggage wrapper. The part is the
first of PARTS that the innermost llm-otel frames match.
"""
import collections
import re
import subprocess
import sys

PARTS = [
    ("LlmMetrics", "metrics"), ("CallCounters", "metrics"),
    ("ChatCompletionMapper", "request and response mapping"), ("OpenAiCalls.lambda", "request and response mapping"),
    ("Governance.", "governance (fingerprint, prompt version, workflow, cost)"),
    ("Workflows", "governance (fingerprint, prompt version, workflow, cost)"),
    ("AnswerReviewer", "answer review (escalation reasons)"),
    ("SdkAttempts", "SDK attempt tracking"),
    ("OkHttp", "OkHttp layer under the SDK call"),
    ("LlmAttributesExtractor", "span attributes"),
    ("LlmInstrumenter", "span start and end (instrumentation API)"),
]


def main(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                          capture_output=True, text=True, check=True).stdout
    samples = [s for s in text.split("jdk.ExecutionSample")[1:] if 'sampledThread = "main"' in s]
    samples = samples[len(samples) * 2 // 3:]
    total = 0
    parts = collections.Counter()
    for sample in samples:
        frames = re.findall(r"^\s+([\w.$<>/]+)\(", sample, re.M)
        if not any("CallProbe.call" in f for f in frames):
            continue
        total += 1
        ours = [i for i, f in enumerate(frames)
                if f.startswith("dev.llmotel.") and not f.startswith("dev.llmotel.benchmarks.")]
        if not ours or (ours[0] > 0 and "RealInterceptorChain.proceed" in frames[ours[0] - 1]):
            continue
        if any("RemoteBaggage.inject" in f for f in frames):
            continue
        part = "other"
        for i in ours:
            part = next((name for pattern, name in PARTS if pattern in frames[i]), "other")
            if part != "other":
                break
        parts[part] += 1
    ours_total = sum(parts.values())
    print("calling thread samples: %d; with llm-otel's work: %d (%.1f %%)"
          % (total, ours_total, 100.0 * ours_total / max(total, 1)))
    for part, n in parts.most_common():
        print("  %5.2f %%  %s" % (100.0 * n / max(total, 1), part))


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""An instrumentation's own work on a CallProbe's calling thread, one or more recordings side by side
(benchmarks/profile-call.sh; docs/benchmarks.md, section 0, "Own work against the SDK's").

For each recording (the last third of the calling thread's samples, warm): the samples whose innermost
instrumentation frame (llm-otel's, or the agent's own OpenAI instrumentation's) has no SDK frame below it
(the instrumentation's own work), those with one (the SDK's or the HTTP client's work that the
instrumentation only wraps, the request itself among it), and those with no instrumentation frame; then
the methods the own work's samples are in. Shares compare across recordings; samples do not, as each
recording has its own number of samples per call.
"""
import collections
import re
import subprocess
import sys

SDK = ("com.openai.", "okhttp3.", "okio.", "com.fasterxml.", "kotlin.")


def instrumentation(frame):
    return ((frame.startswith("dev.llmotel.") and not frame.startswith("dev.llmotel.benchmarks."))
            or ".instrumentation.openai" in frame)


def main(paths):
    for path in paths:
        text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "160", path],
                              capture_output=True, text=True, check=True).stdout
        samples = [s for s in text.split("jdk.ExecutionSample")[1:] if 'sampledThread = "main"' in s]
        samples = samples[len(samples) * 2 // 3:]
        kinds = collections.Counter()
        own = collections.Counter()
        for sample in samples:
            frames = re.findall(r"^\s+([\w.$<>/]+)\(", sample, re.M)
            if not any("CallProbe.call" in f for f in frames):
                continue
            inner = next((i for i, f in enumerate(frames) if instrumentation(f)), None)
            if inner is None:
                kinds["no instrumentation frame"] += 1
            elif any(f.startswith(SDK) for f in frames[:inner]):
                kinds["SDK or HTTP work under an instrumentation frame"] += 1
            else:
                kinds["the instrumentation's own work"] += 1
                own[".".join(frames[inner].split(".")[-2:])] += 1
        total = sum(kinds.values())
        print("%s: %d calling-thread samples" % (path, total))
        for kind, n in kinds.most_common():
            print("  %5.1f %%  %s" % (100.0 * n / max(total, 1), kind))
        for method, n in own.most_common(15):
            print("      %5.2f %%  %s" % (100.0 * n / max(total, 1), method))


if __name__ == "__main__":
    main(sys.argv[1:])

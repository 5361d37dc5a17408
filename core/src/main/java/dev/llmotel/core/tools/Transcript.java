package dev.llmotel.core.tools;

import dev.llmotel.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Prints a record-mode file as a readable transcript, one block per trace: each LLM call with its
 * time, model, status, tokens, cost, duration and injected faults, the last message sent and what
 * came back. Runs without the agent: {@code java -jar llm-otel-extension.jar transcript recording.jsonl}
 * (see {@link Main}; {@code java -cp llm-otel-extension.jar dev.llmotel.core.tools.Transcript FILE} still works).
 */
public final class Transcript {
  static final String USAGE = "transcript RECORDING.jsonl\n"
      + "  Prints a record-mode file per trace: each call's time, model, status, tokens, cost, duration and faults,\n"
      + "  the last message sent and what came back. Exit codes: 0 printed; 2 usage error or unreadable file.";

  public static void main(String[] args) {
    int exit = run(args, System.out, System.err);
    if (exit != 0) System.exit(exit);
  }

  /** Prints the file named by the one argument; returns the exit code (2: usage error or unreadable file). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println("usage: java -jar llm-otel-extension.jar " + USAGE);
      return 2;
    }
    List<Map<?, ?>> records;
    try {
      records = readRecords(args[0]);
    } catch (IOException e) {
      err.println("llm-otel transcript: cannot read " + args[0] + " (" + e + ")");
      return 2;
    }
    print(records, out);
    return 0;
  }

  static List<Map<?, ?>> readRecords(String file) throws IOException {
    List<Map<?, ?>> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.trim().isEmpty()) continue;
        try {
          Object parsed = Json.parse(line);
          if (parsed instanceof Map) out.add((Map<?, ?>) parsed);
        } catch (IllegalArgumentException e) {
          out.add(null); // shown as an unreadable line, in its place
        }
      }
    }
    return out;
  }

  static void print(List<Map<?, ?>> records, PrintStream out) {
    Map<String, List<Map<?, ?>>> traces = new LinkedHashMap<>();
    int unreadable = 0;
    for (Map<?, ?> r : records) {
      if (r == null) {
        unreadable++;
        continue;
      }
      Object trace = r.get("trace_id");
      traces.computeIfAbsent(trace == null ? "(no trace)" : trace.toString(), k -> new ArrayList<>()).add(r);
    }
    SimpleDateFormat time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    time.setTimeZone(TimeZone.getTimeZone("UTC"));
    for (Map.Entry<String, List<Map<?, ?>>> t : traces.entrySet()) {
      long in = 0;
      long outTokens = 0;
      double cost = 0;
      for (Map<?, ?> r : t.getValue()) {
        in += number(usage(r).get("input_tokens"));
        outTokens += number(usage(r).get("output_tokens"));
        cost += r.get("cost_usd") instanceof Number ? ((Number) r.get("cost_usd")).doubleValue() : 0;
      }
      out.printf(Locale.ROOT, "trace %s  %d call(s), tokens in %d / out %d, cost $%.6f%n", t.getKey(),
          t.getValue().size(), in, outTokens, cost);
      for (Map<?, ?> r : t.getValue()) {
        StringBuilder line = new StringBuilder("  ");
        if (r.get("start_ms") instanceof Number) {
          line.append(time.format(new Date(((Number) r.get("start_ms")).longValue()))).append("  ");
        }
        line.append(r.get("operation")).append(' ').append(r.get("model"));
        if (r.get("response_model") != null && !r.get("response_model").equals(r.get("model"))) {
          line.append(" -> ").append(r.get("response_model"));
        }
        line.append("  ").append(r.get("provider"));
        line.append("  ").append(r.get("status") == null ? "no response" : "HTTP " + number(r.get("status")));
        Map<?, ?> usage = usage(r);
        if (!usage.isEmpty()) {
          line.append("  tokens in ").append(number(usage.get("input_tokens"))).append(" / out ")
              .append(number(usage.get("output_tokens")));
        }
        if (r.get("cost_usd") instanceof Number) {
          line.append(String.format(Locale.ROOT, "  $%.6f", ((Number) r.get("cost_usd")).doubleValue()));
        }
        line.append("  ").append(number(r.get("duration_ms"))).append(" ms");
        if (r.get("faults") != null) line.append("  FAULT ").append(r.get("faults"));
        if (r.get("error") != null) line.append("  ERROR ").append(r.get("error"));
        if (r.get("closed_early") != null) line.append("  (closed early by the app)");
        out.println(line);
        String asked = lastMessage(r.get("request"));
        if (asked != null) out.println("      > " + oneLine(asked));
        String answered = answer(r);
        if (answered != null) out.println("      < " + oneLine(answered));
      }
      out.println();
    }
    if (unreadable > 0) out.println(unreadable + " line(s) were not JSON records and are not shown");
  }

  private static Map<?, ?> usage(Map<?, ?> r) {
    return r.get("usage") instanceof Map ? (Map<?, ?>) r.get("usage") : new LinkedHashMap<>();
  }

  private static long number(Object v) {
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }

  private static String oneLine(String s) {
    String flat = s.replace('\n', ' ').replace('\r', ' ');
    return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
  }

  /** The last message of a request body, in the OpenAI, Anthropic, Gemini and Responses shapes. */
  static String lastMessage(Object requestText) {
    Map<?, ?> body = parse(requestText);
    if (body == null) return null;
    if (body.get("input") instanceof String) return "user: " + body.get("input");
    List<?> messages = list(body.get("messages"));
    if (messages.isEmpty()) messages = list(body.get("contents"));
    if (messages.isEmpty()) messages = list(body.get("input"));
    if (messages.isEmpty()) return null;
    Map<?, ?> last = map(messages.get(messages.size() - 1));
    Object role = last.get("role");
    return (role == null ? "user" : role) + ": " + text(last.get("content") != null ? last.get("content") : last.get("parts"));
  }

  /** What came back: the answer's text or tool calls, a stream's size, or the error body. */
  static String answer(Map<?, ?> r) {
    if (r.get("chunks") instanceof List) {
      StringBuilder text = new StringBuilder();
      for (Object c : (List<?>) r.get("chunks")) text.append(map(c).get("text"));
      return "stream: " + ((List<?>) r.get("chunks")).size() + " read(s), " + text.length() + " characters";
    }
    Map<?, ?> body = parse(r.get("body"));
    if (body == null) return r.get("body") == null ? null : "body: " + r.get("body");
    if (body.get("error") != null) return "error: " + Json.write(body.get("error"));
    for (Object choice : list(body.get("choices"))) {
      Map<?, ?> message = map(map(choice).get("message"));
      List<String> tools = new ArrayList<>();
      for (Object tc : list(message.get("tool_calls"))) tools.add(String.valueOf(map(map(tc).get("function")).get("name")));
      if (!tools.isEmpty()) return "assistant asks for tool(s) " + tools;
      return "assistant: " + text(message.get("content"));
    }
    if (body.get("content") instanceof List) {
      List<String> tools = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (Object block : list(body.get("content"))) {
        Map<?, ?> b = map(block);
        if ("tool_use".equals(b.get("type"))) tools.add(String.valueOf(b.get("name")));
        if (b.get("text") != null) text.append(b.get("text"));
      }
      return tools.isEmpty() ? "assistant: " + text : "assistant asks for tool(s) " + tools;
    }
    for (Object candidate : list(body.get("candidates"))) {
      return "model: " + text(map(map(candidate).get("content")).get("parts"));
    }
    if (body.get("output") instanceof List) {
      StringBuilder text = new StringBuilder();
      for (Object item : list(body.get("output"))) text.append(text(map(item).get("content")));
      return "assistant: " + text;
    }
    if (body.get("data") instanceof List) return "embeddings: " + list(body.get("data")).size() + " vector(s)";
    return null;
  }

  private static String text(Object content) {
    if (content == null) return "";
    if (content instanceof String) return (String) content;
    StringBuilder out = new StringBuilder();
    for (Object part : list(content)) {
      Object t = map(part).get("text");
      if (t != null) out.append(t);
    }
    return out.toString();
  }

  private static Map<?, ?> parse(Object text) {
    if (!(text instanceof String)) return null;
    try {
      Object parsed = Json.parse((String) text);
      return parsed instanceof Map ? (Map<?, ?>) parsed : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map ? (Map<?, ?>) o : new LinkedHashMap<>();
  }

  private static List<?> list(Object o) {
    return o instanceof List ? (List<?>) o : new ArrayList<>();
  }

  private Transcript() {}
}

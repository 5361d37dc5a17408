package dev.llmotel.smoke;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one run of the smoke apps' OpenAiLoadApp printed on its LOAD line. */
final class LoadApp {
  static final String MAIN = "dev.llmotel.smoke.openai.OpenAiLoadApp";
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

  final Map<String, String> fields = new HashMap<>();
  final AgentApp app;

  LoadApp(AgentApp app) {
    this.app = app;
    for (String line : app.output.split("\n")) {
      if (line.startsWith("LOAD ")) {
        Matcher m = FIELD.matcher(line);
        while (m.find()) fields.put(m.group(1), m.group(2));
      }
    }
    if (fields.isEmpty()) throw new AssertionError("the load app printed no LOAD line; exit " + app.exitCode);
  }

  long count(String name) {
    return Long.parseLong(fields.get(name));
  }

  double number(String name) {
    return Double.parseDouble(fields.get(name));
  }

  @Override
  public String toString() {
    return fields.toString();
  }
}

package dev.llmotel.core.tools;

import dev.llmotel.core.LlmOtelVersion;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The extension jar's command line ({@code java -jar llm-otel-extension.jar COMMAND ...}, its
 * {@code Main-Class}): {@code transcript} prints a record-mode file, {@code evaluate} scores one with an
 * LLM judge. The commands need nothing but the jar: no agent, no OpenTelemetry API.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(usage());
      return EvaluateCommand.EXIT_USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "transcript":
        return Transcript.run(rest, out, err);
      case "evaluate":
        return EvaluateCommand.run(rest, System.getenv(), out, err);
      case "help":
      case "--help":
      case "-h":
        out.println(usage());
        return EvaluateCommand.EXIT_OK;
      case "version":
      case "--version":
        out.println("llm-otel " + LlmOtelVersion.VERSION);
        return EvaluateCommand.EXIT_OK;
      default:
        err.println("llm-otel: unknown command \"" + EvaluateCommand.clean(args[0]) + "\"");
        err.println(usage());
        return EvaluateCommand.EXIT_USAGE;
    }
  }

  static String usage() {
    return "llm-otel " + LlmOtelVersion.VERSION + ": the extension jar's tools (no agent needed)\n"
        + "usage: java -jar llm-otel-extension.jar COMMAND ...\n\n"
        + Transcript.USAGE + "\n\n"
        + EvaluateCommand.USAGE + "\n\n"
        + "help | version\n"
        + "  This text (exit 0) | the version. No command or an unknown one: this text, exit 2.";
  }
}

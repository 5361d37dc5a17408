package dev.llmotel.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's entry point: commands dispatched, usage with exit 2 on no or an unknown command. */
class MainTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int main(String... args) {
    out.reset();
    err.reset();
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void usageOnNoOrAnUnknownCommand() {
    assertEquals(2, main());
    assertTrue(err.toString().contains("usage: java -jar llm-otel-extension.jar COMMAND"), err.toString());
    assertTrue(err.toString().contains("Exit codes: 0 scored"), err.toString());
    assertEquals(2, main("frobnicate"));
    assertTrue(err.toString().contains("unknown command \"frobnicate\""), err.toString());
    assertEquals(0, main("--help"));
    assertTrue(out.toString().contains("evaluate RECORDING.jsonl --judge-base-url URL"), out.toString());
    assertEquals(0, main("version"));
  }

  @Test
  void transcriptPrintsARecording() throws Exception {
    Path file = dir.resolve("r.jsonl");
    Files.write(file, (OfflineEvaluationTest.record("w", "v1", "Be brief.", "What is the weather in Paris?", null,
        "Light rain.") + "\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(0, main("transcript", file.toString()));
    assertTrue(out.toString().contains("trace 0af7651916cd43dd8448eb211c80319c  1 call(s)"), out.toString());
    assertTrue(out.toString().contains("< assistant: Light rain."), out.toString());
    assertEquals(2, main("transcript"));
    assertTrue(err.toString().contains("usage: java -jar llm-otel-extension.jar transcript RECORDING.jsonl"));
    assertEquals(2, main("transcript", dir.resolve("missing.jsonl").toString()));
    assertTrue(err.toString().contains("cannot read"), err.toString());
  }

  @Test
  void evaluateIsDispatched() {
    assertEquals(2, main("evaluate"));
    assertTrue(err.toString().contains("llm-otel evaluate: no recording given"), err.toString());
  }
}

package dev.llmotel.core.governance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Reads an operator's file (policy, prices, prompt registry, redaction rules); at most 4 MB. */
public final class GovernanceFiles {
  public static String read(String path) throws IOException {
    if (!Files.isRegularFile(Paths.get(path))) throw new IOException("no such file");
    long size = Files.size(Paths.get(path));
    if (size > 4 * 1024 * 1024) throw new IOException("larger than 4 MB");
    return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
  }

  /** The file's text, or null when it cannot be read (the caller reports that as the file being invalid). */
  static String readOrNull(String path) {
    try {
      return read(path);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private GovernanceFiles() {}
}

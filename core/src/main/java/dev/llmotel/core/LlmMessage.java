package dev.llmotel.core;

import java.util.ArrayList;
import java.util.List;

/** A message in the GenAI semantic-convention schema: a role and typed parts. */
public final class LlmMessage {
  private final String role;
  private final List<Part> parts = new ArrayList<>(2); // nearly always one part: no default array of ten
  private String finishReason;

  public LlmMessage(String role) {
    this.role = role;
  }

  public String role() { return role; }
  public List<Part> parts() { return parts; }
  public String finishReason() { return finishReason; }
  public LlmMessage finishReason(String v) { this.finishReason = v; return this; }

  public LlmMessage add(Part part) {
    if (part != null) parts.add(part);
    return this;
  }

  /**
   * One part of a message: text, a tool call the model asks for, a tool's answer, or media (an
   * image, audio or a document). Media is kept as what identifies it, never its bytes: inline data
   * as its SHA-256 ({@link #contentHash}) and size, a file by the provider's file id, a link by its
   * URI (a {@code data:} URI is inline data, never kept as a URI).
   */
  public static final class Part {
    public static final String TEXT = "text";
    public static final String TOOL_CALL = "tool_call";
    public static final String TOOL_CALL_RESPONSE = "tool_call_response";
    /** Inline media (the GenAI conventions' BlobPart), here without its content. */
    public static final String BLOB = "blob";
    /** Media uploaded to the provider beforehand, named by its file id (FilePart). */
    public static final String FILE = "file";
    /** Media behind a URI (UriPart). */
    public static final String URI = "uri";

    public static final String MODALITY_IMAGE = "image";
    public static final String MODALITY_AUDIO = "audio";
    public static final String MODALITY_VIDEO = "video";
    /** Not a convention value: documents (PDF, text files) where the provider takes them as such. */
    public static final String MODALITY_DOCUMENT = "document";

    public final String type;
    /** Text, or a tool's answer; for {@link #URI} the URI; for {@link #FILE} the file id. */
    public final String content;
    public final String id;
    public final String name;
    /** Tool call arguments as the provider sent them (usually a JSON string). */
    public final String arguments;
    /** Media: image, audio, video or document; null for text and tool parts. */
    public final String modality;
    public final String mimeType;
    /** Inline media: hex SHA-256 of its bytes (or of its text encoding, base64 as sent); else null. */
    public final String contentHash;
    /** Inline media: its size in bytes as sent (base64 text counts as its decoded size); else -1. */
    public final long sizeBytes;
    /** Images: width and height in pixels where the request says them; else 0. */
    public final int width;
    public final int height;

    private Part(String type, String content, String id, String name, String arguments) {
      this(type, content, id, name, arguments, null, null, null, -1, 0, 0);
    }

    private Part(String type, String content, String id, String name, String arguments, String modality,
        String mimeType, String contentHash, long sizeBytes, int width, int height) {
      this.type = type;
      this.content = content;
      this.id = id;
      this.name = name;
      this.arguments = arguments;
      this.modality = modality;
      this.mimeType = mimeType;
      this.contentHash = contentHash;
      this.sizeBytes = sizeBytes;
      this.width = width;
      this.height = height;
    }

    public static Part text(String content) { return new Part(TEXT, content, null, null, null); }

    public static Part toolCall(String id, String name, String arguments) {
      return new Part(TOOL_CALL, null, id, name, arguments);
    }

    public static Part toolCallResponse(String id, String response) {
      return new Part(TOOL_CALL_RESPONSE, response, id, null, null);
    }

    /** Inline media, by the hash and size of its bytes (the caller hashes; the bytes are not kept). */
    public static Part blob(String modality, String mimeType, String contentHash, long sizeBytes) {
      return new Part(BLOB, null, null, null, null, modality, mimeType, contentHash, sizeBytes, 0, 0);
    }

    /** Inline image whose pixel size the request states (some providers' token rules need it). */
    public static Part image(String mimeType, String contentHash, long sizeBytes, int width, int height) {
      return new Part(BLOB, null, null, null, null, MODALITY_IMAGE, mimeType, contentHash, sizeBytes, width, height);
    }

    /** Media uploaded to the provider beforehand. */
    public static Part file(String modality, String mimeType, String fileId) {
      return new Part(FILE, fileId, null, null, null, modality, mimeType, null, -1, 0, 0);
    }

    /** Media behind a URI (never a data: URI: that is inline data, see {@link #blob}). */
    public static Part uri(String modality, String mimeType, String uri) {
      return new Part(URI, uri, null, null, null, modality, mimeType, null, -1, 0, 0);
    }

    public boolean isMedia() {
      return modality != null;
    }
  }
}

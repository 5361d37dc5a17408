package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmMessage.Part;
import dev.llmotel.core.MediaParts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Media in requests, in each wire format: inline data becomes a blob known by the SHA-256 of its
 * base64 text and its decoded size, an uploaded file its id, a link its URI; no bytes and no base64
 * text are kept.
 */
class WireMediaTest {
  private static final String PNG = "iVBORw0KGgo="; // the PNG signature, 8 bytes
  private static final String PDF = "JVBERi0="; // "%PDF-", 5 bytes
  private static final String WAV = "UklGRg=="; // "RIFF", 4 bytes
  private static final String JPEG = "/9j/4AAQ"; // 6 bytes

  private static List<Part> parts(WireFormat format, String body, String pathModel) {
    LlmCall call = new LlmCall("p", "chat");
    format.request(call, JsonMaps.parseObject(body), pathModel);
    List<Part> parts = new ArrayList<>();
    for (LlmMessage m : call.request().inputMessages()) parts.addAll(m.parts());
    for (Part p : parts) {
      for (String kept : new String[] {p.content, p.id, p.name, p.arguments, p.mimeType}) {
        if (kept == null) continue;
        for (String base64 : new String[] {PNG, PDF, WAV, JPEG}) {
          assertFalse(kept.contains(base64.replace("=", "")), "no base64 is kept: " + kept);
        }
      }
    }
    return parts;
  }

  private static void assertBlob(Part p, String modality, String mimeType, String base64, long size) {
    assertEquals(Part.BLOB, p.type);
    assertEquals(modality, p.modality);
    assertEquals(mimeType, p.mimeType);
    assertEquals(sha256(base64), p.contentHash);
    assertEquals(size, p.sizeBytes);
    assertNull(p.content);
    assertTrue(p.isMedia());
  }

  private static void assertRef(Part p, String type, String modality, String mimeType, String ref) {
    assertEquals(type, p.type);
    assertEquals(modality, p.modality);
    assertEquals(mimeType, p.mimeType);
    assertEquals(ref, p.content);
    assertNull(p.contentHash);
    assertEquals(-1, p.sizeBytes);
  }

  private static void assertText(Part p, String text) {
    assertEquals(Part.TEXT, p.type);
    assertEquals(text, p.content);
    assertFalse(p.isMedia());
  }

  @Test
  void openAiChatImagesAudioAndFilesKeepTheirPlaceAmongTheText() {
    List<Part> parts = parts(OpenAiChatWire.INSTANCE, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is in these?\"},{\"type\":\"text\",\"text\":\"Be brief.\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + PNG + "\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\",\"detail\":\"low\"}},"
        + "{\"type\":\"text\",\"text\":\"and\"},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"" + WAV + "\",\"format\":\"wav\"}},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"" + WAV + "\",\"format\":\"mp3\"}},"
        + "{\"type\":\"file\",\"file\":{\"file_data\":\"data:application/pdf;base64," + PDF + "\",\"filename\":\"a.pdf\"}},"
        + "{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}},"
        + "{\"type\":\"refusal\",\"refusal\":\"no\"}]}]}", null);
    assertEquals(8, parts.size(), parts.toString());
    assertText(parts.get(0), "What is in these?\nBe brief.");
    assertBlob(parts.get(1), Part.MODALITY_IMAGE, "image/png", PNG, 8);
    assertRef(parts.get(2), Part.URI, Part.MODALITY_IMAGE, null, "https://example.com/cat.jpg");
    assertText(parts.get(3), "and");
    assertBlob(parts.get(4), Part.MODALITY_AUDIO, "audio/wav", WAV, 4);
    assertBlob(parts.get(5), Part.MODALITY_AUDIO, "audio/mpeg", WAV, 4);
    assertBlob(parts.get(6), Part.MODALITY_DOCUMENT, "application/pdf", PDF, 5);
    assertRef(parts.get(7), Part.FILE, Part.MODALITY_DOCUMENT, null, "file-abc");
  }

  @Test
  void openAiChatTextOnlyContentStaysOneTextPart() {
    List<Part> parts = parts(OpenAiChatWire.INSTANCE, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":[{\"type\":\"text\",\"text\":\"42\"}]}]}", null);
    assertEquals(3, parts.size());
    assertText(parts.get(0), "a\nb");
    assertEquals(Part.TOOL_CALL, parts.get(1).type);
    assertEquals(Part.TOOL_CALL_RESPONSE, parts.get(2).type);
    assertEquals("42", parts.get(2).content);
  }

  @Test
  void responsesInputImagesAndFiles() {
    List<Part> parts = parts(OpenAiResponsesWire.INSTANCE, "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_text\",\"text\":\"Describe\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"data:image/jpeg;base64," + JPEG + "\"},"
        + "{\"type\":\"input_image\",\"file_id\":\"file-img\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"https://example.com/a.png\"},"
        + "{\"type\":\"input_file\",\"file_data\":\"data:application/pdf;base64," + PDF + "\",\"filename\":\"x.pdf\"},"
        + "{\"type\":\"input_file\",\"file_id\":\"file-doc\"},"
        + "{\"type\":\"input_file\",\"file_url\":\"https://example.com/x.pdf\"}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"https://example.com/only.png\"}]}]}", null);
    assertEquals(8, parts.size(), parts.toString());
    assertText(parts.get(0), "Describe");
    assertBlob(parts.get(1), Part.MODALITY_IMAGE, "image/jpeg", JPEG, 6);
    assertRef(parts.get(2), Part.FILE, Part.MODALITY_IMAGE, null, "file-img");
    assertRef(parts.get(3), Part.URI, Part.MODALITY_IMAGE, null, "https://example.com/a.png");
    assertBlob(parts.get(4), Part.MODALITY_DOCUMENT, "application/pdf", PDF, 5);
    assertRef(parts.get(5), Part.FILE, Part.MODALITY_DOCUMENT, null, "file-doc");
    assertRef(parts.get(6), Part.URI, Part.MODALITY_DOCUMENT, null, "https://example.com/x.pdf");
    assertRef(parts.get(7), Part.URI, Part.MODALITY_IMAGE, null, "https://example.com/only.png");
  }

  @Test
  void anthropicImageAndDocumentBlocksBySourceType() {
    List<Part> parts = parts(AnthropicMessagesWire.INSTANCE, "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":["
        + "{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + PDF + "\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.pdf\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"file\",\"file_id\":\"file_012\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"plain words\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"carrier-pigeon\"}},"
        + "{\"type\":\"text\",\"text\":\"Compare\"}]}]}", null);
    assertEquals(8, parts.size(), parts.toString());
    assertBlob(parts.get(0), Part.MODALITY_IMAGE, "image/png", PNG, 8);
    assertRef(parts.get(1), Part.URI, Part.MODALITY_IMAGE, null, "https://example.com/cat.jpg");
    assertRef(parts.get(2), Part.FILE, Part.MODALITY_IMAGE, null, "file_011");
    assertBlob(parts.get(3), Part.MODALITY_DOCUMENT, "application/pdf", PDF, 5);
    assertRef(parts.get(4), Part.URI, Part.MODALITY_DOCUMENT, null, "https://example.com/a.pdf");
    assertRef(parts.get(5), Part.FILE, Part.MODALITY_DOCUMENT, null, "file_012");
    assertBlob(parts.get(6), Part.MODALITY_DOCUMENT, "text/plain", "plain words", 11);
    assertText(parts.get(7), "Compare");
  }

  @Test
  void geminiInlineAndFileDataInBothSpellings() {
    List<Part> parts = parts(GeminiWire.INSTANCE, "{\"contents\":[{\"role\":\"user\",\"parts\":["
        + "{\"text\":\"What?\"},"
        + "{\"inline_data\":{\"mime_type\":\"image/jpeg\",\"data\":\"" + JPEG + "\"}},"
        + "{\"inlineData\":{\"mimeType\":\"audio/mp3\",\"data\":\"" + WAV + "\"}},"
        + "{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"" + PDF + "\"}},"
        + "{\"file_data\":{\"mime_type\":\"video/mp4\",\"file_uri\":\"gs://bucket/v.mp4\"}},"
        + "{\"fileData\":{\"mimeType\":\"application/pdf\",\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/abc\"}}"
        + "]}]}", "gemini-2.5-flash");
    assertEquals(6, parts.size(), parts.toString());
    assertText(parts.get(0), "What?");
    assertBlob(parts.get(1), Part.MODALITY_IMAGE, "image/jpeg", JPEG, 6);
    assertBlob(parts.get(2), Part.MODALITY_AUDIO, "audio/mp3", WAV, 4);
    assertBlob(parts.get(3), Part.MODALITY_DOCUMENT, "application/pdf", PDF, 5);
    assertRef(parts.get(4), Part.URI, Part.MODALITY_VIDEO, "video/mp4", "gs://bucket/v.mp4");
    assertRef(parts.get(5), Part.URI, Part.MODALITY_DOCUMENT, "application/pdf",
        "https://generativelanguage.googleapis.com/v1beta/files/abc");
  }

  @Test
  void mediaPartsHashTheBase64AsSentAndSizeWhatItDecodesTo() {
    for (int n = 0; n < 70; n++) {
      byte[] bytes = new byte[n];
      new Random(n).nextBytes(bytes);
      String padded = Base64.getEncoder().encodeToString(bytes);
      assertEquals(n, MediaParts.decodedSize(padded), padded);
      assertEquals(n, MediaParts.decodedSize(padded.replace("=", "")), "without padding");
      assertEquals(n, MediaParts.decodedSize(Base64.getMimeEncoder().encodeToString(bytes)), "with line breaks");
    }
    byte[] big = new byte[3 << 20];
    new Random(1).nextBytes(big);
    String base64 = Base64.getEncoder().encodeToString(big);
    Part p = MediaParts.inline(null, "image/webp", base64);
    assertBlob(p, Part.MODALITY_IMAGE, "image/webp", base64, big.length);
    assertEquals(64, p.contentHash.length());

    Part noType = MediaParts.inline(null, null, "QQ==");
    assertEquals(Part.MODALITY_DOCUMENT, noType.modality, "a media part always has a modality");
    assertEquals(1, noType.sizeBytes);
    Part missing = MediaParts.inline(Part.MODALITY_IMAGE, "image/png", null);
    assertNull(missing.contentHash);
    assertEquals(-1, missing.sizeBytes);
    assertNull(MediaParts.sha256Hex(null));
    assertEquals(sha256("h\u00e9"), MediaParts.sha256Hex("h\u00e9"), "text that is not base64 is hashed as UTF-8");

    Part image = MediaParts.inlineImage("image/png", PNG, 1024, 768);
    assertBlob(image, Part.MODALITY_IMAGE, "image/png", PNG, 8);
    assertEquals(1024, image.width);
    assertEquals(768, image.height);
  }

  @Test
  void dataUrisAreInlineDataWhateverTheirShape() {
    assertBlob(MediaParts.fromDataUri(null, "DATA:Image/PNG;BASE64," + PNG), Part.MODALITY_IMAGE, "image/png", PNG, 8);
    assertBlob(MediaParts.fromDataUri(null, "data:text/plain;charset=utf-8;base64,SGk="), Part.MODALITY_DOCUMENT,
        "text/plain", "SGk=", 2);
    assertBlob(MediaParts.fromDataUri(null, "data:,Hello%2C"), Part.MODALITY_DOCUMENT, null, "Hello%2C", 8);
    assertBlob(MediaParts.fromDataUri(Part.MODALITY_AUDIO, "data:;base64," + WAV), Part.MODALITY_AUDIO, null, WAV, 4);
    assertBlob(MediaParts.fromDataUri(null, "data:image/png"), Part.MODALITY_DOCUMENT, null, "", 0);
    assertNull(MediaParts.fromDataUri(null, "https://example.com/a.png"));
    assertNull(MediaParts.fromDataUri(null, null));
    assertBlob(MediaParts.fromUrl(Part.MODALITY_IMAGE, "image/gif", "data:;base64," + PNG), Part.MODALITY_IMAGE,
        "image/gif", PNG, 8);
    assertRef(MediaParts.fromUrl(null, "video/mp4", "https://example.com/v.mp4"), Part.URI, Part.MODALITY_VIDEO,
        "video/mp4", "https://example.com/v.mp4");
    assertNull(MediaParts.fromUrl(Part.MODALITY_IMAGE, null, null));
    assertEquals(Part.MODALITY_IMAGE, MediaParts.modalityOf("IMAGE/PNG"));
    assertNull(MediaParts.modalityOf(null));
  }

  @Test
  void malformedMediaPartsAreSkippedNotFailed() {
    List<Part> parts = parts(OpenAiChatWire.INSTANCE, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":5},{\"type\":\"image_url\"},{\"type\":\"input_audio\",\"input_audio\":\"x\"},"
        + "{\"type\":\"file\",\"file\":[]},{\"type\":7},\"text\",null,{\"text\":\"kept\"}]}]}", null);
    assertEquals(1, parts.size(), parts.toString());
    assertText(parts.get(0), "kept");
    List<Part> anthropic = parts(AnthropicMessagesWire.INSTANCE, "{\"model\":\"c\",\"max_tokens\":1,\"messages\":[{"
        + "\"role\":\"user\",\"content\":[{\"type\":\"image\"},{\"type\":\"document\",\"source\":{\"type\":\"file\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":7}}]}]}", null);
    assertEquals(1, anthropic.size(), "a base64 source without data: a blob without hash");
    assertNull(anthropic.get(0).contentHash);
    List<Part> gemini = parts(GeminiWire.INSTANCE, "{\"contents\":[{\"parts\":[{\"inlineData\":{}},"
        + "{\"fileData\":{\"mimeType\":\"image/png\"}}]}]}", "g");
    assertEquals(1, gemini.size(), "a file without its URI is nothing");
    assertEquals(Part.MODALITY_DOCUMENT, gemini.get(0).modality);
  }

  private static String sha256(String text) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

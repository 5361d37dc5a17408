package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.ContentJson;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmMessage.Part;
import dev.llmotel.core.ToolDefinition;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Media parts count: in the request hash, in every token figure, and in captured content (without bytes). */
class FingerprintsMediaTest {
  private static final String PAGE_1 = "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11";
  private static final String PAGE_2 = "bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22";

  private static LlmCall ask(String provider, String model, Part media) {
    LlmCall call = new LlmCall(provider, "chat").request().requestModel(model).call();
    call.request().systemInstructions().add(Part.text("You read scanned pages."));
    LlmMessage user = new LlmMessage("user").add(Part.text("What is the invoice total on this page?"));
    if (media != null) user.add(media);
    call.request().inputMessages().add(user);
    return call;
  }

  private static LlmCall ask(Part media) {
    return ask("openai", "gpt-4o-mini", media);
  }

  @Test
  void requestsThatDifferOnlyInTheirMediaHashDifferently() {
    String page1 = Fingerprints.requestHash(ask(Part.blob("image", "image/png", PAGE_1, 2048)));
    assertEquals(page1, Fingerprints.requestHash(ask(Part.blob("image", "image/png", PAGE_1, 2048))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(Part.blob("image", "image/png", PAGE_2, 2048))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(Part.blob("image", "image/jpeg", PAGE_1, 2048))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(Part.blob("image", "image/png", PAGE_1, 2049))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(Part.blob("document", "image/png", PAGE_1, 2048))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(Part.image("image/png", PAGE_1, 2048, 800, 600))));
    assertNotEquals(page1, Fingerprints.requestHash(ask(null)));
    String file = Fingerprints.requestHash(ask(Part.file("document", "application/pdf", "file-abc")));
    assertNotEquals(file, Fingerprints.requestHash(ask(Part.file("document", "application/pdf", "file-abd"))));
    String uri = Fingerprints.requestHash(ask(Part.uri("image", null, "https://example.com/p1.png")));
    assertNotEquals(uri, Fingerprints.requestHash(ask(Part.uri("image", null, "https://example.com/p2.png"))));
    // A file part and a URI part with the same text are not the same request.
    assertNotEquals(Fingerprints.requestHash(ask(Part.file("image", null, "x"))),
        Fingerprints.requestHash(ask(Part.uri("image", null, "x"))));
  }

  @Test
  void aDocumentLoopOverDifferentPagesIsNotALoop() {
    PolicySettings s = new PolicySettings();
    s.loopGuardMode = PolicySettings.Mode.ENFORCE;
    s.maxRepeats = 1;
    PolicyEngine engine = new PolicyEngine(s);
    String[] pages = {PAGE_1, PAGE_2, PAGE_1};
    LlmCall last = null;
    for (int i = 0; i < pages.length; i++) {
      LlmCall call = ask(Part.blob("image", "image/png", pages[i], 4096));
      call.governance().traceId("trace-1");
      call.governance().requestHash(Fingerprints.requestHash(call));
      engine.beforeCall(call, i);
      if (i < 2) assertNull(call.governance().refusal(), "page " + (i + 1) + " is a new request");
      last = call;
    }
    assertEquals("loop_guard", last.governance().refusal().policy, "the same page again is a repeat");
  }

  @Test
  void fingerprintsKeepTheirValuesAndIgnoreMedia() {
    // Values computed by the previous implementation (normalised template built as a string, then hashed).
    LlmCall c = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    c.request().systemInstructions().add(Part.text("You are a support assistant for ACME. Ticket 42 opened "
        + "2026-11-25T10:00:00Z; order 6f1c2a9e-1b2c \t\n cost 12.50 EUR 🙂 é \uD800 end.  "));
    assertEquals("ba2751c9003d0dc6", Fingerprints.promptFingerprint(c));
    c.request().toolDefinitions().add(new ToolDefinition("function", "order_status", "Status of order 12 as of 2026-01-01",
        "{\"type\":\"object\"}"));
    c.request().systemInstructions().add(Part.text("  Second part, id abc_123.  "));
    assertEquals("b9561c189d4b1c32", Fingerprints.promptFingerprint(c));
    assertEquals(Fingerprints.promptFingerprint(ask(Part.blob("image", "image/png", PAGE_1, 1))),
        Fingerprints.promptFingerprint(ask(Part.blob("image", "image/png", PAGE_2, 1))));
    assertEquals(Fingerprints.shortHash("system:" + Fingerprints.normalize("a  1 b\uD83D\uDE00 ") + "\n"),
        Fingerprints.promptFingerprint(call("a  1 b\uD83D\uDE00 ")));
  }

  @Test
  void theTemplateCacheIsKeyedByAHashThatKeepsPartsApart() {
    LlmCall one = call("Be brief.\nsystem:Be kind.");
    LlmCall two = call("Be brief.");
    two.request().systemInstructions().add(Part.text("Be kind."));
    String first = Fingerprints.promptFingerprint(one);
    assertEquals(first, Fingerprints.promptFingerprint(one), "a hit gives the same value");
    assertNotEquals(first, Fingerprints.promptFingerprint(two));
    assertEquals(Fingerprints.shortHash("system:Be brief.\nsystem:Be kind.\n"), Fingerprints.promptFingerprint(two));
    assertEquals(Fingerprints.shortHash("system:Be brief. system:Be kind.\n"), first);
    for (int i = 0; i < 3000; i++) Fingerprints.promptFingerprint(call("Template " + i + "x"));
    assertTrue(Fingerprints.cachedTemplates() <= 1024);
  }

  private static LlmCall call(String system) {
    LlmCall call = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    call.request().systemInstructions().add(Part.text(system));
    return call;
  }

  @Test
  void mediaCountsInTheEstimateTheTokenizerCountAndTheBound() {
    LlmCall text = ask(null);
    LlmCall withImage = ask(Part.blob("image", "image/png", PAGE_1, 300_000));
    assertEquals(Fingerprints.inputCharacters(text), Fingerprints.inputCharacters(withImage));
    assertEquals(Fingerprints.estimateInputTokens(text) + 765, Fingerprints.estimateInputTokens(withImage));
    assertEquals(Tokenizers.countInputTokens(text) + 765, Tokenizers.countInputTokens(withImage));
    long counted = Tokenizers.countInputTokens(withImage);
    assertTrue(Tokenizers.mayExceed(withImage, counted - 1));
    assertTrue(Tokenizers.mayExceed(withImage, Fingerprints.estimateInputTokens(withImage) - 1));
    assertFalse(Tokenizers.mayExceed(text, 765), "text alone is well under");
    // A URI's or file id's text is not read by the model: media count as media only.
    LlmCall uri = ask("anthropic", "claude-sonnet-4", Part.uri("image", "image/png",
        "https://example.com/a/very/long/path/to/an/image/that/would/otherwise/count/as/text.png"));
    assertEquals(Fingerprints.estimateInputTokens(ask("anthropic", "claude-sonnet-4", null)) + 1399,
        Fingerprints.estimateInputTokens(uri));
  }

  @Test
  void imageRulesFollowEachProvidersPublishedFormula() {
    MediaTokens.ImageRule openai = MediaTokens.ruleFor("openai", "gpt-4o");
    assertEquals(765, MediaTokens.image(openai, 1024, 1024));
    assertEquals(765, MediaTokens.image(openai, 0, 0), "unknown size: a 1024x1024 image");
    assertEquals(85 + 170, MediaTokens.image(openai, 512, 512));
    assertEquals(85 + 170 * 6, MediaTokens.image(openai, 2048, 4096)); // 1024x2048, then 768x1536: 2x3 tiles
    assertEquals(85 + 170 * 4, MediaTokens.image(openai, 4000, 4000)); // 2048, then 768x768
    MediaTokens.ImageRule claude = MediaTokens.ruleFor("anthropic", "claude-sonnet-4");
    assertEquals(1334, MediaTokens.image(claude, 1000, 1000));
    assertEquals(1590, MediaTokens.image(claude, 1092, 1092));
    assertEquals(1600, MediaTokens.image(claude, 3000, 3000), "scaled to 1568 px, capped");
    assertEquals(1399, MediaTokens.image(claude, -1, 0));
    assertEquals(MediaTokens.ImageRule.ANTHROPIC, MediaTokens.ruleFor("aws.bedrock", "anthropic.claude-3-5-sonnet"));
    MediaTokens.ImageRule gemini = MediaTokens.ruleFor("gcp.gemini", "gemini-2.5-flash");
    assertEquals(258, MediaTokens.image(gemini, 384, 300));
    assertEquals(258 * 2, MediaTokens.image(gemini, 1000, 500));
    assertEquals(258 * 4, MediaTokens.image(gemini, 0, 0));
    assertEquals(MediaTokens.ImageRule.GEMINI, MediaTokens.ruleFor("gcp.vertex_ai", "x"));
    assertEquals(MediaTokens.ImageRule.ANTHROPIC, MediaTokens.ruleFor("aws.bedrock", "amazon.nova-pro-v1:0"));
    // Pixel sizes stated in the request are used.
    LlmCall small = ask(Part.image("image/png", PAGE_1, 100, 512, 512));
    assertEquals(Fingerprints.estimateInputTokens(ask(null)) + 255, Fingerprints.estimateInputTokens(small));
  }

  @Test
  void audioVideoAndDocumentsCountByTheirSize() {
    MediaTokens.ImageRule any = MediaTokens.ImageRule.OPENAI;
    assertEquals(320, MediaTokens.of(Part.blob("audio", "audio/mpeg", PAGE_1, 160_000), any), "10 s at 16 KB/s");
    assertEquals(1920, MediaTokens.of(Part.uri("audio", null, "gs://b/a.mp3"), any), "unknown: one minute");
    assertEquals(2630, MediaTokens.of(Part.blob("video", "video/mp4", PAGE_1, 1_250_000), any), "10 s at 1 Mbit/s");
    assertEquals(15_780, MediaTokens.of(Part.file("video", "video/mp4", "files/v"), any));
    assertEquals(4500, MediaTokens.of(Part.blob("document", "application/pdf", PAGE_1, 300_000), any));
    assertEquals(1500, MediaTokens.of(Part.blob("document", "application/pdf", PAGE_1, 10_000), any), "one page at least");
    assertEquals(1500, MediaTokens.of(Part.file("document", "application/pdf", "file-1"), any), "unknown: one page");
    assertEquals(1000, MediaTokens.of(Part.blob("document", "text/plain", PAGE_1, 4000), any), "text: 4 bytes a token");
    assertEquals(250, MediaTokens.of(Part.blob("document", "application/json", PAGE_1, 1000), any));
  }

  @Test
  void capturedContentNamesMediaWithoutBytes() {
    LlmMessage m = new LlmMessage("user")
        .add(Part.text("Compare"))
        .add(Part.blob("image", "image/png", PAGE_1, 2048))
        .add(Part.file("document", "application/pdf", "file-abc"))
        .add(Part.uri("image", "image/jpeg", "https://example.com/x.jpg?sig=1"));
    String json = ContentJson.messages(Arrays.asList(m), 10_000).json;
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Compare\"},"
        + "{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":\"image/png\"},"
        + "{\"type\":\"file\",\"modality\":\"document\",\"mime_type\":\"application/pdf\",\"file_id\":\"file-abc\"},"
        + "{\"type\":\"uri\",\"modality\":\"image\",\"mime_type\":\"image/jpeg\",\"uri\":\"https://example.com/x.jpg?sig=1\"}]}]",
        json);
    assertFalse(json.contains(PAGE_1), "no content hash either: the conventions have no place for it");
  }

  @Test
  void promptRegistryPatternsReadTheInstructionsInPlace() {
    PromptRegistry registry = PromptRegistry.parse("{\"prompts\": [{\"system_pattern\": \"weather assistant\\\\.\\\\nBe\","
        + " \"name\": \"weather\", \"version\": \"2\"}, {\"system_pattern\": \"^Be brief\\\\n$\", \"name\": \"b\", \"version\": 1}]}");
    LlmCall call = new LlmCall("openai", "chat");
    call.request().systemInstructions().add(Part.text("You are a weather assistant."));
    call.request().systemInstructions().add(Part.blob("image", "image/png", PAGE_1, 1));
    call.request().systemInstructions().add(Part.text("Be brief."));
    assertEquals("weather", registry.find("fp", call)[0], "parts joined by newlines, media left out");
    LlmCall brief = new LlmCall("openai", "chat");
    brief.request().systemInstructions().add(Part.text("Be brief"));
    assertEquals("b", registry.find("fp", brief)[0]);
    assertNull(registry.find("fp", new LlmCall("openai", "chat")));
    PromptRegistry.SystemText text = new PromptRegistry.SystemText(call.request().systemInstructions());
    assertEquals("You are a weather assistant.\nBe brief.\n", text.toString());
    assertEquals("assistant.\nBe", text.subSequence(18, 31).toString());
    assertTrue(Pattern.compile("brief\\.\\n\\z").matcher(text).find());
  }
}

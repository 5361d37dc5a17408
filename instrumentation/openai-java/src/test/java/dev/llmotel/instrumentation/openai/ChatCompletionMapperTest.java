package dev.llmotel.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ClientOptions;
import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The OpenAI mapping without the agent: SDK objects, parsed from real wire JSON, onto LlmCall. */
class ChatCompletionMapperTest {
  private static final ClientOptions OPTIONS = ClientOptions.builder()
      .httpClient(new NoHttpClient()).apiKey("sk-unit").baseUrl("https://example.openai.azure.com/openai").build();

  static <T> T parse(String json, Class<T> type) throws Exception {
    return ObjectMappers.jsonMapper().readValue(json, type);
  }

  @Test
  void requestParametersAreMappedAtStart() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI).addUserMessage("hi").temperature(0.3).topP(0.9)
        .maxCompletionTokens(50).seed(7).stop("END").build();
    LlmCall call = ChatCompletionMapper.request(params, OPTIONS, false);
    assertEquals("azure.ai.openai", call.provider());
    assertEquals("chat", call.operation());
    assertEquals("gpt-4o-mini", call.request().requestModel());
    assertEquals("example.openai.azure.com", call.request().serverAddress());
    assertEquals(0.3, call.request().temperature());
    assertEquals(0.9, call.request().topP());
    assertEquals(50L, call.request().maxTokens());
    assertEquals(7L, call.request().seed());
    assertEquals(Collections.singletonList("END"), call.request().stopSequences());
    // Messages are always mapped (fingerprints, hashes and token estimates need them); only the content
    // capture switch decides whether they are exported, in the shared attributes extractor.
    assertEquals("hi", call.request().inputMessages().get(0).parts().get(0).content);
  }

  @Test
  void responseUsageFinishReasonsAndCachedTokens() throws Exception {
    ChatCompletion completion = parse("{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},\"logprobs\":null,"
        + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":4,"
        + "\"total_tokens\":34,\"prompt_tokens_details\":{\"cached_tokens\":12},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}", ChatCompletion.class);
    LlmCall call = new LlmCall("openai", "chat");
    ChatCompletionMapper.response(call, completion);
    assertEquals("chatcmpl-9", call.response().responseId());
    assertEquals("gpt-4o-mini-2024-07-18", call.response().responseModel());
    assertEquals(Collections.singletonList("tool_calls"), call.response().finishReasons());
    assertEquals(30L, call.response().inputTokens());
    assertEquals(4L, call.response().outputTokens());
    assertEquals(12L, call.response().cacheReadInputTokens());
    assertEquals(2L, call.response().reasoningOutputTokens());
  }

  @Test
  void aResponseWithoutUsageLeavesTokensUnknownNotZero() throws Exception {
    ChatCompletion completion = parse("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":\"length\"}]}", ChatCompletion.class);
    LlmCall call = new LlmCall("openai", "chat");
    ChatCompletionMapper.response(call, completion);
    assertNull(call.response().inputTokens());
    assertEquals(Collections.singletonList("length"), call.response().finishReasons());
  }

  /**
   * A compatible server's answer with "finish_reason": null, no index and no output count in its usage: the app
   * reads its content as usual (the SDK checks a required field only when it is read), so the call is no failure;
   * its input count and answer still count.
   */
  @Test
  void aChoiceWithoutFinishReasonOrIndexIsNoFailure() throws Exception {
    ChatCompletion completion = parse("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\"},\"finish_reason\":null}],"
        + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}", ChatCompletion.class);
    assertEquals("Paris.", completion.choices().get(0).message().content().get(), "what the app reads");
    LlmCall call = new LlmCall("openai", "chat");
    call.request().outputContract(dev.llmotel.core.output.OutputContract.anyJson()); // so the answer is kept
    ChatCompletionMapper.response(call, completion);
    assertNull(call.response().unusableResponse());
    assertTrue(call.response().finishReasons().isEmpty());
    assertEquals(7L, call.response().inputTokens(), "the usage's input count, without its output count");
    assertNull(call.response().outputTokens());
    assertEquals("Paris.", call.response().answerForValidation().firstText(), "the answer kept at its position, 0");
  }

  /** A streamed chat call whose chunks, parsed by the SDK from these wire JSONs, went through the accumulator. */
  private static LlmCall streamOf(String... chunks) throws Exception {
    LlmCall call = new LlmCall("openai", "chat").request().streaming(true).call();
    ChatStreamAccumulator acc = new ChatStreamAccumulator(call);
    for (String chunk : chunks) acc.onChunk(parse(chunk, ChatCompletionChunk.class));
    acc.finish();
    return call;
  }

  @Test
  void streamChunksAccumulateIdsFinishReasonAndUsage() throws Exception {
    LlmCall call = streamOf(
        "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}",
        "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
        "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}");
    assertEquals("s1", call.response().responseId());
    assertEquals(3L, call.response().chunkCount());
    assertEquals(Collections.singletonList("stop"), call.response().finishReasons());
    assertEquals(9L, call.response().inputTokens());
    assertEquals(2L, call.response().outputTokens());
  }

  /**
   * An OpenAI-compatible server whose chunks leave out fields the SDK calls required: no id on any chunk, the
   * model only from the second, no index on the second chunk's choice, and a last chunk with the usage but no
   * choices. The SDK hands such chunks to the
   * app (it checks a field only when it is read); the span still gets what each chunk does say.
   */
  @Test
  void chunksMissingRequiredFieldsStillGiveTheOtherParts() throws Exception {
    LlmCall call = streamOf(
        "{\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}",
        "{\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"local-llama\","
            + "\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
        "{\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"local-llama\","
            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}");
    assertNull(call.response().responseId());
    assertEquals("local-llama", call.response().responseModel());
    assertEquals(3L, call.response().chunkCount());
    assertEquals(Collections.singletonList("stop"), call.response().finishReasons());
    assertEquals(9L, call.response().inputTokens());
    assertEquals(2L, call.response().outputTokens());
    assertEquals(5L, call.response().outputCharacters());
  }

  @Test
  void wireMessagesMapToSemconvParts() throws Exception {
    LlmMessage tool = OpenAiJson.chatMessage(ObjectMappers.jsonMapper().readTree(
        "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18C\"}"));
    assertEquals("tool", tool.role());
    assertEquals(LlmMessage.Part.TOOL_CALL_RESPONSE, tool.parts().get(0).type);
    assertEquals("call_1", tool.parts().get(0).id);
    LlmMessage user = OpenAiJson.chatMessage(ObjectMappers.jsonMapper().readTree(
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}"));
    assertEquals("ab", user.parts().get(0).content);
  }

  private static final String PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  private static LlmCall chatWithParts(String partsJson) throws Exception {
    ChatCompletionCreateParams.Body body = parse("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"What is on this page?\"}," + partsJson + "]}]}",
        ChatCompletionCreateParams.Body.class);
    return ChatCompletionMapper.request(ChatCompletionCreateParams.builder().body(body).build(), OPTIONS, false);
  }

  @Test
  void mediaPartsAreMappedByWhatIdentifiesThemNeverTheirBytes() throws Exception {
    LlmCall call = chatWithParts("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
        + PNG_BASE64 + "\",\"detail\":\"high\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/page2.png\"}},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRiQAAABXQVZF\",\"format\":\"wav\"}},"
        + "{\"type\":\"file\",\"file\":{\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64,JVBERi0xLjQK\"}},"
        + "{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc123\"}}");
    java.util.List<LlmMessage.Part> parts = call.request().inputMessages().get(0).parts();
    assertEquals(6, parts.size());
    assertEquals("What is on this page?", parts.get(0).content);
    LlmMessage.Part image = parts.get(1);
    assertEquals(LlmMessage.Part.BLOB, image.type);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(dev.llmotel.core.MediaParts.sha256Hex(PNG_BASE64), image.contentHash);
    assertEquals(dev.llmotel.core.MediaParts.decodedSize(PNG_BASE64), image.sizeBytes);
    assertNull(image.content, "no bytes, no base64");
    assertEquals(LlmMessage.Part.URI, parts.get(2).type);
    assertEquals("https://example.com/page2.png", parts.get(2).content);
    assertEquals("audio", parts.get(3).modality);
    assertEquals("audio/wav", parts.get(3).mimeType);
    assertEquals(12L, parts.get(3).sizeBytes);
    assertEquals("document", parts.get(4).modality);
    assertEquals("application/pdf", parts.get(4).mimeType);
    assertEquals(LlmMessage.Part.FILE, parts.get(5).type);
    assertEquals("file-abc123", parts.get(5).content);
  }

  @Test
  void theSameQuestionOfDifferentPagesIsADifferentRequest() throws Exception {
    String page1 = dev.llmotel.core.governance.Fingerprints.requestHash(chatWithParts(
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}"));
    String page2 = dev.llmotel.core.governance.Fingerprints.requestHash(chatWithParts(
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,BBBB\"}}"));
    assertTrue(!page1.equals(page2));
    assertEquals(page1, dev.llmotel.core.governance.Fingerprints.requestHash(chatWithParts(
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}")));
    LlmCall withImage = chatWithParts("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/p.png\"}}");
    LlmCall without = chatWithParts("{\"type\":\"text\",\"text\":\"\"}");
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(without) + 765,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(withImage), "an image of unknown size: 765 tokens");
  }

  @Test
  void responsesInputImagesAndFilesAreMapped() throws Exception {
    com.openai.models.responses.ResponseCreateParams.Body body = parse("{\"model\":\"gpt-4o-mini\",\"input\":[{"
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Summarise\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"data:image/jpeg;base64,/9j/4AAQ\",\"detail\":\"auto\"},"
        + "{\"type\":\"input_image\",\"file_id\":\"file-img\",\"detail\":\"low\"},"
        + "{\"type\":\"input_file\",\"file_id\":\"file-pdf\"},"
        + "{\"type\":\"input_file\",\"file_url\":\"https://example.com/r.pdf\"}]}]}",
        com.openai.models.responses.ResponseCreateParams.Body.class);
    LlmCall call = ResponsesMapper.request(com.openai.models.responses.ResponseCreateParams.builder().body(body).build(),
        OPTIONS, false);
    java.util.List<LlmMessage.Part> parts = call.request().inputMessages().get(0).parts();
    assertEquals(5, parts.size());
    assertEquals("Summarise", parts.get(0).content);
    assertEquals(LlmMessage.Part.BLOB, parts.get(1).type);
    assertEquals("image/jpeg", parts.get(1).mimeType);
    assertEquals(LlmMessage.Part.FILE, parts.get(2).type);
    assertEquals("image", parts.get(2).modality);
    assertEquals("file-img", parts.get(2).content);
    assertEquals("file-pdf", parts.get(3).content);
    assertEquals("document", parts.get(3).modality);
    assertEquals(LlmMessage.Part.URI, parts.get(4).type);
    assertEquals("https://example.com/r.pdf", parts.get(4).content);
  }
}

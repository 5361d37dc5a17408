package dev.llmotel.instrumentation.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputValidation;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/** The SDK's Bedrock types, built as the SDK builds them, mapped onto the shared call model. */
class BedrockMapperTest {
  @Test
  void aConverseRequestGivesItsParametersAndConversation() {
    Message asked = Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromToolUse(
        ToolUseBlock.builder().toolUseId("t1").name("get_weather")
            .input(Document.mapBuilder().putString("city", "Paris").build()).build())).build();
    Message answered = Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(
        ToolResultBlock.builder().toolUseId("t1").content(ToolResultContentBlock.fromText("18C")).build())).build();
    LlmCall call = ConverseMapper.request("http://127.0.0.1:1", "us.anthropic.claude-3-haiku-20240307-v1:0",
        Arrays.asList(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Weather?")).build(),
            asked, answered),
        Collections.singletonList(SystemContentBlock.fromText("Be terse.")),
        InferenceConfiguration.builder().maxTokens(64).temperature(0.7f).topP(0.9f).stopSequences("END").build(),
        Collections.emptyList(), () -> null, false);
    assertEquals("aws.bedrock", call.provider());
    assertEquals("chat", call.operation());
    assertEquals("us.anthropic.claude-3-haiku-20240307-v1:0", call.request().requestModel());
    assertEquals(64L, call.request().maxTokens());
    assertEquals(0.7, call.request().temperature(), 0, "the decimal the app wrote, not the float's widening");
    assertEquals(Arrays.asList("END"), call.request().stopSequences());
    assertEquals("Be terse.", call.request().systemInstructions().get(0).content);
    assertEquals("assistant", call.request().inputMessages().get(1).role());
    LlmMessage.Part toolCall = call.request().inputMessages().get(1).parts().get(0);
    assertEquals(LlmMessage.Part.TOOL_CALL, toolCall.type);
    assertTrue(toolCall.arguments.contains("Paris"), toolCall.arguments);
    assertEquals("18C", call.request().inputMessages().get(2).parts().get(0).content);
  }

  @Test
  void converseUsageIncludesTheCacheInTheInputAndReportsItApart() {
    LlmCall call = new LlmCall("aws.bedrock", "chat");
    ConverseMapper.response(call, ConverseResponse.builder().stopReason(StopReason.TOOL_USE)
        .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT).content(
            ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("t9").name("f").build())).build()))
        .usage(TokenUsage.builder().inputTokens(10).outputTokens(7).totalTokens(122)
            .cacheReadInputTokens(5).cacheWriteInputTokens(100).build())
        .build());
    assertEquals(Arrays.asList("tool_use"), call.response().finishReasons());
    assertEquals(Arrays.asList("t9"), call.response().toolCallIds());
    assertEquals(115L, call.response().inputTokens());
    assertEquals(7L, call.response().outputTokens());
    assertEquals(5L, call.response().cacheReadInputTokens());
    assertEquals(100L, call.response().cacheCreationInputTokens());
  }

  @Test
  void aConverseStreamIsCompleteOnlyWithItsMetadataEvent() {
    LlmCall call = new LlmCall("aws.bedrock", "chat");
    ConverseStreamAccumulator acc = new ConverseStreamAccumulator(call);
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
        .delta(d -> d.text("Hel")).build());
    acc.onEvent(ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.END_TURN).build());
    assertFalse(acc.finished(), "a stream cut before its metadata did not reach its end");
    acc.onEvent(ConverseStreamOutput.metadataBuilder()
        .usage(TokenUsage.builder().inputTokens(9).outputTokens(8).totalTokens(17).build()).build());
    assertTrue(acc.finished());
    acc.finish();
    assertEquals(Arrays.asList("end_turn"), call.response().finishReasons());
    assertEquals(9L, call.response().inputTokens());
    assertNull(call.response().cacheReadInputTokens(), "no cache fields, no cache usage");
  }

  @Test
  void invokeModelReadsUsageFromBedrocksHeadersAndTheStopReasonFromTheFamilysBody() {
    LlmCall call = InvokeModelMapper.request(null, "anthropic.claude-3-haiku-20240307-v1:0", SdkBytes.fromUtf8String(
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,\"temperature\":0.2,"
            + "\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"), false);
    assertEquals(200L, call.request().maxTokens());
    assertEquals("Be terse.", call.request().systemInstructions().get(0).content);
    assertEquals("Say hello", call.request().inputMessages().get(0).parts().get(0).content);
    InvokeModelResponse response = (InvokeModelResponse) InvokeModelResponse.builder()
        .body(SdkBytes.fromUtf8String("{\"model\":\"claude-3-haiku-20240307\",\"stop_reason\":\"max_tokens\"}"))
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(200)
            .putHeader(InvokeModelMapper.INPUT_TOKENS_HEADER, "12").putHeader(InvokeModelMapper.OUTPUT_TOKENS_HEADER, "3")
            .build())
        .build();
    InvokeModelMapper.response(call, response);
    assertEquals(12L, call.response().inputTokens());
    assertEquals(3L, call.response().outputTokens());
    assertEquals(Arrays.asList("max_tokens"), call.response().finishReasons());
    assertEquals("claude-3-haiku-20240307", call.response().responseModel());
  }

  @Test
  void aBodyThatIsNotJsonLosesOnlyWhatWouldBeReadFromIt() {
    LlmCall call = InvokeModelMapper.request(null, "amazon.titan-embed-text-v2:0", SdkBytes.fromUtf8String("\u0000{"), false);
    assertEquals("embeddings", call.operation());
    assertTrue(call.request().inputMessages().isEmpty());
  }

  @Test
  void anInvokeStreamTakesItsUsageFromTheInvocationMetrics() {
    LlmCall call = new LlmCall("aws.bedrock", "chat");
    InvokeStreamAccumulator acc = new InvokeStreamAccumulator(call);
    acc.onEvent(PayloadPart.builder().bytes(SdkBytes.fromUtf8String(
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}")).build());
    acc.onEvent(PayloadPart.builder().bytes(SdkBytes.fromUtf8String("{\"type\":\"message_stop\","
        + "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":9,\"outputTokenCount\":8}}")).build());
    assertTrue(acc.finished());
    acc.finish();
    assertEquals(9L, call.response().inputTokens());
    assertEquals(8L, call.response().outputTokens());
    assertEquals(Arrays.asList("end_turn"), call.response().finishReasons());
  }

  private static LlmCall converse(ContentBlock media) {
    return ConverseMapper.request("http://127.0.0.1:1", "us.anthropic.claude-3-haiku-20240307-v1:0",
        Collections.singletonList(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText("Total on this page?"), media).build()),
        Collections.<SystemContentBlock>emptyList(), null, Collections.emptyList(), () -> null, false);
  }

  @Test
  void converseImagesDocumentsAndVideoAreMappedByTheirHashNeverTheirBytes() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    LlmCall call = converse(ContentBlock.fromImage(software.amazon.awssdk.services.bedrockruntime.model.ImageBlock
        .builder().format("png").source(software.amazon.awssdk.services.bedrockruntime.model.ImageSource
            .fromBytes(SdkBytes.fromByteArray(png))).build()));
    LlmMessage.Part image = call.request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.BLOB, image.type);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(7L, image.sizeBytes);
    StringBuilder hex = new StringBuilder();
    for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(png)) hex.append(String.format("%02x", b));
    assertEquals(hex.toString(), image.contentHash);
    assertNull(image.content);

    LlmMessage.Part pdf = converse(ContentBlock.fromDocument(software.amazon.awssdk.services.bedrockruntime.model
        .DocumentBlock.builder().format("pdf").name("invoice").source(software.amazon.awssdk.services.bedrockruntime
            .model.DocumentSource.fromBytes(SdkBytes.fromUtf8String("%PDF-1.4"))).build()))
        .request().inputMessages().get(0).parts().get(1);
    assertEquals("document", pdf.modality);
    assertEquals("application/pdf", pdf.mimeType);
    assertEquals(8L, pdf.sizeBytes);

    LlmMessage.Part video = converse(ContentBlock.fromVideo(software.amazon.awssdk.services.bedrockruntime.model
        .VideoBlock.builder().format("mp4").source(software.amazon.awssdk.services.bedrockruntime.model.VideoSource
            .fromS3Location(software.amazon.awssdk.services.bedrockruntime.model.S3Location.builder()
                .uri("s3://bucket/clip.mp4").build())).build())).request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.URI, video.type);
    assertEquals("video", video.modality);
    assertEquals("video/mp4", video.mimeType);
    assertEquals("s3://bucket/clip.mp4", video.content);

    // Governance: another page is another request; the image counts by Anthropic's rule (a Claude model).
    LlmCall otherPage = converse(ContentBlock.fromImage(software.amazon.awssdk.services.bedrockruntime.model.ImageBlock
        .builder().format("png").source(software.amazon.awssdk.services.bedrockruntime.model.ImageSource
            .fromBytes(SdkBytes.fromByteArray(new byte[] {9, 9, 9}))).build()));
    assertFalse(dev.llmotel.core.governance.Fingerprints.requestHash(call)
        .equals(dev.llmotel.core.governance.Fingerprints.requestHash(otherPage)));
    LlmCall textOnly = converse(ContentBlock.fromText(""));
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(textOnly) + 1399,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(call));
  }

  @Test
  void imagesInAToolResultCountToo() {
    LlmCall call = converse(ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId("t1").content(
        ToolResultContentBlock.fromText("screenshot"),
        ToolResultContentBlock.fromImage(software.amazon.awssdk.services.bedrockruntime.model.ImageBlock.builder()
            .format("jpeg").source(software.amazon.awssdk.services.bedrockruntime.model.ImageSource
                .fromBytes(SdkBytes.fromByteArray(new byte[] {1}))).build())).build()));
    LlmMessage.Part image = call.request().inputMessages().get(0).parts().get(2);
    assertEquals("image/jpeg", image.mimeType);
    assertEquals(1L, image.sizeBytes);
  }

  @Test
  void invokeModelBodiesGiveTheirMediaBlocksOfEitherFamily() {
    LlmCall claude = InvokeModelMapper.request(null, "anthropic.claude-3-haiku-20240307-v1:0", SdkBytes.fromUtf8String(
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
            + "{\"type\":\"text\",\"text\":\"Total?\"}]}]}"), false);
    LlmMessage.Part image = claude.request().inputMessages().get(0).parts().get(0);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(8L, image.sizeBytes);
    assertEquals("Total?", claude.request().inputMessages().get(0).parts().get(1).content);
    LlmCall nova = InvokeModelMapper.request(null, "amazon.nova-pro-v1:0", SdkBytes.fromUtf8String(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Describe\"},"
            + "{\"image\":{\"format\":\"jpeg\",\"source\":{\"bytes\":\"/9j/4AAQ\"}}},"
            + "{\"video\":{\"format\":\"mp4\",\"source\":{\"s3Location\":{\"uri\":\"s3://b/v.mp4\"}}}},"
            + "{\"document\":{\"format\":\"pdf\",\"name\":\"d\",\"source\":{\"bytes\":\"JVBERi0xLjQK\"}}}]}]}"), false);
    java.util.List<LlmMessage.Part> parts = nova.request().inputMessages().get(0).parts();
    assertEquals(4, parts.size());
    assertEquals("image/jpeg", parts.get(1).mimeType);
    assertEquals(6L, parts.get(1).sizeBytes);
    assertEquals(LlmMessage.Part.URI, parts.get(2).type);
    assertEquals("video", parts.get(2).modality);
    assertEquals("s3://b/v.mp4", parts.get(2).content);
    assertEquals("application/pdf", parts.get(3).mimeType);
  }

  // ---- output validation: what the request declared, and the answer it is checked against ----

  private static final String TOTAL_SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
      + "\"required\":[\"total\"]}";

  /** A Converse request offering a tool (when asked) and asking for a structured output (when given a schema). */
  private static LlmCall converseDeclaring(boolean tool, String schema) {
    Tool weather = Tool.builder().toolSpec(ToolSpecification.builder().name("get_weather")
        .inputSchema(ToolInputSchema.fromJson(Document.mapBuilder().putString("type", "object")
            .putDocument("properties", Document.mapBuilder().putDocument("city",
                Document.mapBuilder().putString("type", "string").build()).build())
            .putList("required", l -> l.addString("city")).build())).build()).build();
    OutputConfig output = schema == null ? null : OutputConfig.builder().textFormat(OutputFormat.builder()
        .type(OutputFormatType.JSON_SCHEMA).structure(OutputFormatStructure.fromJsonSchema(
            JsonSchemaDefinition.builder().name("total").schema(schema).build())).build()).build();
    return ConverseMapper.request("http://127.0.0.1:1", "us.anthropic.claude-3-haiku-20240307-v1:0",
        Collections.singletonList(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Total?")).build()),
        Collections.<SystemContentBlock>emptyList(), null,
        tool ? Collections.singletonList(weather) : Collections.<Tool>emptyList(), () -> output, false);
  }

  private static ConverseResponse converseAnswer(ContentBlock... content) {
    return ConverseResponse.builder().stopReason(StopReason.END_TURN)
        .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT).content(content).build()))
        .build();
  }

  private static OutputCheck check(LlmCall call) {
    return OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
        call.response().answerForValidation());
  }

  @Test
  void converseStructuredOutputAndToolUseAreCheckedWithCaptureOff() {
    assertFalse(LlmOtelConfig.get().captureContent());
    LlmCall call = converseDeclaring(true, TOTAL_SCHEMA);
    assertEquals("json", call.request().outputType());
    assertEquals(TOTAL_SCHEMA, call.request().outputContract().schemaJson());
    assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
        call.request().toolDefinitions().get(0).parametersJson, "the input schema as JSON");
    ConverseMapper.response(call, converseAnswer(ContentBlock.fromText("{\"total\": 12.5}"),
        ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("t1").name("get_weather")
            .input(Document.mapBuilder().putString("city", "Paris").build()).build())));
    assertEquals("valid", check(call).result);

    LlmCall invalid = converseDeclaring(true, TOTAL_SCHEMA);
    ConverseMapper.response(invalid, converseAnswer(ContentBlock.fromText("{\"total\": 12.5}"),
        ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("t2").name("get_weather")
            .input(Document.mapBuilder().putNumber("city", 7).build()).build())));
    assertEquals("invalid", check(invalid).result);
    assertEquals("tool get_weather: $.city: type", check(invalid).error);
  }

  @Test
  void aConverseStreamsDeltasAreCheckedByContentBlock() {
    LlmCall call = converseDeclaring(true, TOTAL_SCHEMA);
    ConverseStreamAccumulator acc = new ConverseStreamAccumulator(call);
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("{\"total\":")).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("\"12.5\"}")).build());
    acc.onEvent(ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(1).start(ContentBlockStart.fromToolUse(
        ToolUseBlockStart.builder().toolUseId("t3").name("get_weather").build())).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("{\"city\":").build())).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("\"Paris\"}").build())).build());
    acc.finish();
    assertEquals("invalid", check(call).result);
    assertEquals("$.total: type", check(call).error, "the text's deltas are one answer");
  }

  @Test
  void converseWithNothingDeclaredKeepsNothingAndItsFilterStopsAreFinishReasons() {
    LlmCall call = converseDeclaring(false, null);
    ConverseMapper.response(call, ConverseResponse.builder().stopReason(StopReason.GUARDRAIL_INTERVENED)
        .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
            .content(ContentBlock.fromText("I can't help with that.")).build())).build());
    assertNull(call.response().answerForValidation());
    assertEquals(Arrays.asList("guardrail_intervened"), call.response().finishReasons());
    LlmCall streamed = converseDeclaring(false, null);
    ConverseStreamAccumulator acc = new ConverseStreamAccumulator(streamed);
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("Hi")).build());
    acc.onEvent(ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.CONTENT_FILTERED).build());
    acc.finish();
    assertNull(streamed.response().answerForValidation());
    assertEquals(Arrays.asList("content_filtered"), streamed.response().finishReasons());
  }

  /** An InvokeModel body of the Anthropic family, with a tool and, when given, a structured output. */
  private static LlmCall invokeDeclaring(boolean streaming, String outputFormat) {
    return InvokeModelMapper.request(null, "anthropic.claude-sonnet-4-20250514-v1:0", SdkBytes.fromUtf8String(
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Total?\"}],\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]"
            + (outputFormat == null ? "" : ",\"output_format\":" + outputFormat) + "}"), streaming);
  }

  @Test
  void invokeModelsAnthropicBodyIsCheckedLikeAnthropicsApi() {
    LlmCall call = invokeDeclaring(false, "{\"type\":\"json_schema\",\"schema\":" + TOTAL_SCHEMA + "}");
    assertEquals(TOTAL_SCHEMA, call.request().outputContract().schemaJson());
    assertEquals("get_weather", call.request().toolDefinitions().get(0).name);
    InvokeModelMapper.response(call, InvokeModelResponse.builder().body(SdkBytes.fromUtf8String(
        "{\"model\":\"claude-sonnet-4\",\"stop_reason\":\"tool_use\",\"content\":[{\"type\":\"text\",\"text\":"
            + "\"{\\\"total\\\":12.5}\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
            + "\"input\":{}}]}")).build());
    assertEquals(Arrays.asList("toolu_1"), call.response().toolCallIds());
    assertEquals("invalid", check(call).result);
    assertEquals("tool get_weather: $: required", check(call).error);

    LlmCall streamed = invokeDeclaring(true, null);
    InvokeStreamAccumulator acc = new InvokeStreamAccumulator(streamed);
    for (String chunk : new String[] {
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\","
            + "\"name\":\"get_weather\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"}) {
      acc.onEvent(PayloadPart.builder().bytes(SdkBytes.fromUtf8String(chunk)).build());
    }
    acc.finish();
    assertEquals("valid", check(streamed).result);
  }

  @Test
  void invokeModelWithNothingDeclaredKeepsNothing() {
    LlmCall call = InvokeModelMapper.request(null, "anthropic.claude-3-haiku-20240307-v1:0", SdkBytes.fromUtf8String(
        "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), false);
    InvokeModelMapper.response(call, InvokeModelResponse.builder().body(SdkBytes.fromUtf8String(
        "{\"stop_reason\":\"end_turn\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}")).build());
    assertNull(call.response().answerForValidation());
  }
}

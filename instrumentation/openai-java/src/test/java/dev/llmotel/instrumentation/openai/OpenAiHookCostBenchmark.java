package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.llmotel.testkit.bench.HookCostHarness;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What llm-otel's own hooks cost per OpenAI chat call, measured without the network and without the
 * agent's noise: the exact start and end hooks that the advice calls, around a response parsed from
 * real wire JSON, with a real SDK (batched span export and periodic metric export to exporters that
 * drop everything). The end-to-end JMH figures on a 2-core machine move by more than this between
 * runs; this figure does not. A figure to print, not a test: {@code benchmarks/run.sh} runs it once
 * per configuration (system properties: capture on, policies in monitor mode). It prints the time and
 * bytes per non-streaming call, and the time per chunk that the stream wrapper adds to a stream of
 * 1,000 chunks already in memory.
 */
public final class OpenAiHookCostBenchmark {

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "llm-otel hooks";
    OpenTelemetrySdk sdk = HookCostHarness.droppingSdk();
    ClientOptions options = ClientOptions.builder().httpClient(new NoHttpClient()).apiKey("sk-benchmark")
        .baseUrl("https://api.openai.com/v1").build();
    ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a support assistant for ACME. Answer briefly.")
        .addUserMessage("My order 4711 has not arrived; it was due yesterday.")
        .temperature(0.2);
    String answer = "Sorry about that: order 4711 ships today.";
    // With -Dllm-otel.benchmark.structured=true the request declares a typical structured output (a
    // strict json_schema of five properties, an enum and a nested array) and the answer fits it: the
    // row measures the check of every answer against its schema (compiled once, then cached).
    if (Boolean.getBoolean("llm-otel.benchmark.structured")) {
      request.responseFormat(ChatCompletionMapperTest.parse("{\"type\":\"json_schema\",\"json_schema\":{\"name\":"
          + "\"order_status\",\"strict\":true,\"schema\":" + ORDER_SCHEMA + "}}",
          com.openai.models.ResponseFormatJsonSchema.class));
      answer = ORDER_ANSWER;
    }
    ChatCompletionCreateParams params = request.build();
    ChatCompletion completion = ChatCompletionMapperTest.parse("{\"id\":\"chatcmpl-1\",\"object\":"
        + "\"chat.completion\",\"created\":1732000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":" + com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .build().writeValueAsString(answer) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":9,\"total_tokens\":40}}", ChatCompletion.class);
    HookCostHarness harness = new HookCostHarness();
    // With -Dllm-otel.benchmark.prompt-chars=N the question is N characters of retrieved text (a RAG prompt),
    // one of eight different ones each call: what llm-otel does per call that grows with the prompt.
    int promptChars = Integer.getInteger("llm-otel.benchmark.prompt-chars", 0);
    ChatCompletionCreateParams[] prompts = {params};
    if (promptChars > 0) {
      prompts = new ChatCompletionCreateParams[8];
      for (int i = 0; i < prompts.length; i++) {
        StringBuilder text = new StringBuilder(promptChars).append("Context ").append(i).append(": ");
        while (text.length() < promptChars) text.append("the retrieved passage about order ").append(text.length()).append(". ");
        text.setLength(promptChars);
        prompts[i] = params.toBuilder().messages(java.util.Arrays.asList(params.messages().get(0),
            com.openai.models.chat.completions.ChatCompletionMessageParam.ofUser(
                com.openai.models.chat.completions.ChatCompletionUserMessageParam.builder().content(text.toString())
                    .build()))).build();
      }
    }
    ChatCompletionCreateParams[] rotation = prompts;
    int[] next = {0};
    harness.measureCalls(() -> OpenAiCalls.endChat(
        OpenAiCalls.startChat(rotation[next[0]++ & (rotation.length - 1)], options, false), completion, null));
    ChatCompletionCreateParams streamParams = params.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = streamOf(HookCostHarness.STREAM_CHUNKS);
    harness.measureChunks(() -> consume(new ListStream(chunks)), () -> {
      Object state = OpenAiCalls.startChat(streamParams, options, true);
      consume((StreamResponse<?>) OpenAiCalls.wrapChatStream(state, new ListStream(chunks), null));
    });
    harness.print(label);
    sdk.close();
  }

  static final String ORDER_SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"order_id\":{\"type\":\"string\"},\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"shipped\",\"delivered\"]},"
      + "\"eta_days\":{\"type\":\"integer\",\"minimum\":0},\"apology\":{\"type\":\"boolean\"},"
      + "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"sku\":{\"type\":\"string\"},"
      + "\"qty\":{\"type\":\"integer\"}},\"required\":[\"sku\",\"qty\"],\"additionalProperties\":false}}},"
      + "\"required\":[\"order_id\",\"status\",\"eta_days\",\"apology\",\"items\"],\"additionalProperties\":false}";
  static final String ORDER_ANSWER = "{\"order_id\":\"4711\",\"status\":\"shipped\",\"eta_days\":1,\"apology\":true,"
      + "\"items\":[{\"sku\":\"A-100\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}]}";

  /** A stream as the SDK hands it over: a role chunk, content chunks, a finish chunk, a usage chunk. */
  private static List<ChatCompletionChunk> streamOf(int contentChunks) throws Exception {
    String head = "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[";
    List<ChatCompletionChunk> out = new ArrayList<>();
    out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":null}]}", ChatCompletionChunk.class));
    for (int i = 0; i < contentChunks - 3; i++) {
      out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{\"content\":\"word" + i + " \"},"
          + "\"finish_reason\":null}]}", ChatCompletionChunk.class));
    }
    out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
        ChatCompletionChunk.class));
    out.add(ChatCompletionMapperTest.parse(head + "],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":"
        + (contentChunks - 3) + ",\"total_tokens\":" + (contentChunks + 28) + "}}", ChatCompletionChunk.class));
    return out;
  }

  private static long sink;

  private static void consume(StreamResponse<?> response) {
    try (StreamResponse<?> r = response) {
      r.stream().forEach(chunk -> sink += System.identityHashCode(chunk));
    }
  }

  /** A StreamResponse over chunks already in memory, so that only the wrapper's work differs. */
  private static final class ListStream implements StreamResponse<ChatCompletionChunk> {
    private final List<ChatCompletionChunk> chunks;

    ListStream(List<ChatCompletionChunk> chunks) {
      this.chunks = chunks;
    }

    @Override
    public Stream<ChatCompletionChunk> stream() {
      return chunks.stream();
    }

    @Override
    public void close() {}
  }

  private OpenAiHookCostBenchmark() {}
}

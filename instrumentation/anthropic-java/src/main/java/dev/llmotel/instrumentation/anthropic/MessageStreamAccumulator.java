package dev.llmotel.instrumentation.anthropic;

import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.output.StreamedToolCalls;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the response side of a call from the Messages API's stream events: message_start gives
 * the id, model and input usage, message_delta the stop reason and the output usage (cumulative),
 * the content blocks the tool calls; the text and tool arguments are kept only when content capture
 * is on, and then at most the configured number of characters, or for the check against what the
 * request declared (a structured output, tools).
 */
final class MessageStreamAccumulator {
  private final LlmCall call;
  /** The characters one token stands for in the estimate of an unreported output (Tokenizers' rule). */
  private static final int CHARACTERS_PER_TOKEN = 4;
  private final boolean capture = LlmOtelConfig.get().captureContent();
  private final int maxChars = LlmOtelConfig.get().contentMaxLength();
  private final StringBuilder text = new StringBuilder();
  private final List<ToolState> tools = new ArrayList<>();
  /** The tool calls' names and arguments by content block index, for their check against the tools' schemas. */
  private final StreamedToolCalls toolCalls;
  /** Content deltas are read: captured, or checked against a declared structure or tool schema. */
  private final boolean readDeltas;
  private long inputTokens;
  private long cacheRead;
  private long cacheCreation;
  private Long outputTokens;
  private String stopReason;
  private boolean failedOnce;

  MessageStreamAccumulator(LlmCall call) {
    this.call = call;
    this.toolCalls = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
    this.readDeltas = capture || call.request().checksAnswer() || call.response().keepsAnswerText();
  }

  synchronized void onEvent(Object event) {
    call.response().onChunk();
    try {
      // Nearly every event is a content delta, which says nothing we record unless content is
      // captured or checked: no JSON tree for it then. (isContentBlockDelta is the same in 1.0 and 3.x.)
      if (!readDeltas && event instanceof RawMessageStreamEvent && ((RawMessageStreamEvent) event).isContentBlockDelta()) {
        // Each delta carries at least one token: a stream closed before its usage arrived is
        // estimated from that lower bound (Governance), without reading the delta's text.
        call.response().addOutputCharacters(CHARACTERS_PER_TOKEN);
        return;
      }
      JsonNode e = AnthropicJson.tree(event);
      switch (e.path("type").asText()) {
        case "message_start": {
          JsonNode message = e.path("message");
          call.response().responseId(AnthropicJson.textOrNull(message.get("id")));
          call.response().responseModel(AnthropicJson.textOrNull(message.get("model")));
          // Its output_tokens is a placeholder (1): the count comes with message_delta, and a stream
          // closed before it has its output estimated rather than claimed as 1.
          readUsage(message.path("usage"), false);
          break;
        }
        case "content_block_start": {
          JsonNode block = e.path("content_block");
          if ("tool_use".equals(block.path("type").asText())) {
            String id = AnthropicJson.textOrNull(block.get("id"));
            call.response().addToolCallId(id);
            String name = AnthropicJson.textOrNull(block.get("name"));
            tools.add(new ToolState(id, name));
            toolCalls.delta(0, e.path("index").asLong(), name, null);
          }
          break;
        }
        case "content_block_delta": {
          JsonNode delta = e.path("delta");
          String type = delta.path("type").asText();
          if ("text_delta".equals(type)) {
            String t = delta.path("text").asText();
            call.response().addOutputCharacters(t.length());
            call.response().answerText(0, t);
            if (capture) append(text, t);
          } else if ("input_json_delta".equals(type)) {
            String json = delta.path("partial_json").asText();
            call.response().addOutputCharacters(json.length());
            toolCalls.delta(0, e.path("index").asLong(), null, json);
            if (capture && !tools.isEmpty()) append(tools.get(tools.size() - 1).args, json);
          }
          break;
        }
        case "message_delta":
          if (e.path("delta").path("stop_reason").isTextual()) stopReason = e.path("delta").path("stop_reason").asText();
          // Newer API versions repeat the input side here, final: it wins over message_start's.
          readUsage(e.path("usage"), true);
          break;
        default:
          break;
      }
    } catch (Throwable t) {
      if (!failedOnce) {
        failedOnce = true;
        SafeHooks.failed("anthropic stream event mapping", t);
      }
    }
  }

  private void readUsage(JsonNode usage, boolean withOutput) {
    Long input = AnthropicJson.longOrNull(usage.get("input_tokens"));
    if (input != null) inputTokens = input;
    Long read = AnthropicJson.longOrNull(usage.get("cache_read_input_tokens"));
    if (read != null) cacheRead = read;
    Long creation = AnthropicJson.longOrNull(usage.get("cache_creation_input_tokens"));
    if (creation != null) cacheCreation = creation;
    Long output = withOutput ? AnthropicJson.longOrNull(usage.get("output_tokens")) : null;
    if (output != null) outputTokens = output;
  }

  private void append(StringBuilder into, String s) {
    int room = maxChars + 1 - into.length(); // one more than the cap, so truncation is detected
    if (room > 0) into.append(s, 0, Math.min(room, s.length()));
  }

  /** Moves what the events said onto the call; called once, before the span ends. */
  synchronized void finish() {
    if (call.response().responseId() != null) {
      ProviderUsage.inputExcludesCache(call, inputTokens, cacheRead, cacheCreation, outputTokens);
    }
    call.response().addFinishReason(stopReason);
    toolCalls.finish(call.response());
    if (capture && (text.length() > 0 || !tools.isEmpty())) {
      LlmMessage out = new LlmMessage("assistant").finishReason(stopReason);
      if (text.length() > 0) out.add(LlmMessage.Part.text(text.toString()));
      for (ToolState t : tools) out.add(LlmMessage.Part.toolCall(t.id, t.name, t.args.toString()));
      call.response().addOutputMessage(out);
    }
  }

  private static final class ToolState {
    final String id;
    final String name;
    final StringBuilder args = new StringBuilder();

    ToolState(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }
}

package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.output.StreamedToolCalls;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/**
 * What a ConverseStream delivers, event by event: text and tool-input deltas per content block,
 * the stop reason in messageStop, usage in the final metadata event.
 */
final class ConverseStreamAccumulator {
  private final LlmCall call;
  private final LlmMessage output = LlmOtelConfig.get().captureContent() ? new LlmMessage("assistant") : null;
  private final StringBuilder text = new StringBuilder();
  private String toolId;
  private String toolName;
  private final StringBuilder toolInput = new StringBuilder();
  /** The tool calls' names and inputs by content block index, for their check against the tools' schemas. */
  private final StreamedToolCalls toolCalls;
  private String stopReason;
  private boolean sawEnd;

  ConverseStreamAccumulator(LlmCall call) {
    this.call = call;
    this.toolCalls = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
  }

  synchronized void onEvent(ConverseStreamOutput event) {
    if (event instanceof ContentBlockStartEvent) {
      ContentBlockStartEvent start = (ContentBlockStartEvent) event;
      if (start.start() != null && start.start().toolUse() != null) {
        flushText();
        toolId = start.start().toolUse().toolUseId();
        toolName = start.start().toolUse().name();
        call.response().addToolCallId(toolId);
        toolCalls.delta(0, index(start.contentBlockIndex()), toolName, null);
      }
    } else if (event instanceof ContentBlockDeltaEvent) {
      ContentBlockDeltaEvent delta = (ContentBlockDeltaEvent) event;
      if (delta.delta() == null) return;
      String piece = delta.delta().text();
      String input = delta.delta().toolUse() != null ? delta.delta().toolUse().input() : null;
      // The answer's length is counted whether or not it is captured: a stream closed before its
      // metadata event (the usage) is estimated from it. Reasoning deltas are not counted.
      if (piece != null) call.response().addOutputCharacters(piece.length());
      if (input != null) call.response().addOutputCharacters(input.length());
      call.response().answerText(0, piece);
      if (input != null) toolCalls.delta(0, index(delta.contentBlockIndex()), null, input);
      if (output == null) return;
      if (piece != null) text.append(piece);
      if (input != null) toolInput.append(input);
    } else if (event instanceof ContentBlockStopEvent) {
      flushTool();
    } else if (event instanceof MessageStopEvent) {
      stopReason = ((MessageStopEvent) event).stopReasonAsString();
    } else if (event instanceof ConverseStreamMetadataEvent) {
      ConverseMapper.usage(call, ((ConverseStreamMetadataEvent) event).usage());
      sawEnd = true;
    }
  }

  private static long index(Integer contentBlockIndex) {
    return contentBlockIndex == null ? 0 : contentBlockIndex;
  }

  private void flushText() {
    if (output != null && text.length() > 0) {
      output.add(LlmMessage.Part.text(text.toString()));
      text.setLength(0);
    }
  }

  private void flushTool() {
    if (output != null && toolId != null) {
      output.add(LlmMessage.Part.toolCall(toolId, toolName, toolInput.toString()));
    }
    toolId = null;
    toolName = null;
    toolInput.setLength(0);
  }

  /** The final metadata event arrived: the stream is complete. */
  synchronized boolean finished() {
    return sawEnd;
  }

  /** Runs once, before the span ends, whichever way the stream ended. */
  synchronized void finish() {
    call.response().addFinishReason(stopReason);
    toolCalls.finish(call.response());
    if (output != null) {
      flushText();
      flushTool();
      call.response().addOutputMessage(output.finishReason(stopReason));
    }
  }
}

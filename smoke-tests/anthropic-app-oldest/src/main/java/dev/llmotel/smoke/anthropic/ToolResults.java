package dev.llmotel.smoke.anthropic;

import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ToolResultBlockParam;
import java.util.Collections;

/** The user turn carrying a tool's result, as SDK 1.x builds it. */
final class ToolResults {
  static MessageCreateParams.Builder add(MessageCreateParams.Builder params, String toolUseId, String result) {
    return params.addUserMessageOfBlockParams(Collections.singletonList(ContentBlockParam.ofToolResult(
        ToolResultBlockParam.builder().toolUseId(toolUseId).content(result).build())));
  }

  private ToolResults() {}
}

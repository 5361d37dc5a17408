package dev.llmotel.smoke.anthropic;

import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ToolResultBlockParam;
import java.util.Collections;

/** The user turn carrying a tool's result, as SDK 3.x builds it (its message params were renamed). */
final class ToolResults {
  static MessageCreateParams.Builder add(MessageCreateParams.Builder params, String toolUseId, String result) {
    return params.addUserMessageOfContentBlockParams(Collections.singletonList(ContentBlockParam.ofToolResult(
        ToolResultBlockParam.builder().toolUseId(toolUseId).content(result).build())));
  }

  private ToolResults() {}
}

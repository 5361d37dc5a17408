package dev.langchain4j.model.openai;

/**
 * Stands for LangChain4j's OpenAI chat model configured for strict schemas: the same package and
 * field names (langchain4j-open-ai is not on this module's class path).
 */
public final class StrictOpenAiChatModel implements dev.langchain4j.model.chat.ChatModel {
  private final Boolean strictJsonSchema = true;
  private final boolean strictTools = true;

  @Override
  public String toString() {
    return "strict " + strictJsonSchema + " " + strictTools;
  }
}

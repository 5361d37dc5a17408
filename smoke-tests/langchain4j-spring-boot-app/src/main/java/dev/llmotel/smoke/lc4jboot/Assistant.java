package dev.llmotel.smoke.lc4jboot;

import static dev.langchain4j.service.spring.AiServiceWiringMode.EXPLICIT;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.spring.AiService;

/** A blocking assistant with a tool. */
@AiService(wiringMode = EXPLICIT, chatModel = "openAiChatModel", tools = "weatherTools")
public interface Assistant {
  @SystemMessage("You are a polite assistant")
  String chat(String message);
}

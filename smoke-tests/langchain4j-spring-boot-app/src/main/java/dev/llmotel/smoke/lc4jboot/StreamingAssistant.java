package dev.llmotel.smoke.lc4jboot;

import static dev.langchain4j.service.spring.AiServiceWiringMode.EXPLICIT;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.spring.AiService;
import reactor.core.publisher.Flux;

/** The same assistant, streaming its answer as a Flux (langchain4j-reactor adapts the TokenStream). */
@AiService(wiringMode = EXPLICIT, streamingChatModel = "openAiStreamingChatModel", tools = "weatherTools")
public interface StreamingAssistant {
  @SystemMessage("You are a polite assistant")
  Flux<String> chat(String message);
}

package dev.llmotel.smoke.lc4jboot;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

@RestController
public class AssistantController {
  private final Assistant assistant;
  private final StreamingAssistant streamingAssistant;

  public AssistantController(Assistant assistant, StreamingAssistant streamingAssistant) {
    this.assistant = assistant;
    this.streamingAssistant = streamingAssistant;
  }

  @GetMapping("/assistant")
  public String assistant(@RequestParam String message) {
    return assistant.chat(message);
  }

  /** Server-sent events, one per partial answer, so the caller can count what it received. */
  @GetMapping(value = "/streamingAssistant", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Flux<String> streamingAssistant(@RequestParam String message) {
    return streamingAssistant.chat(message);
  }
}

package dev.llmotel.smoke.lc4jboot;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CityController {
  private final CityAssistant assistant;

  public CityController(CityAssistant assistant) {
    this.assistant = assistant;
  }

  @GetMapping("/city")
  public String city(@RequestParam String question) {
    return String.valueOf(assistant.ask(question));
  }
}

package dev.llmotel.smoke.lc4jboot;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SupportController {
  private final CustomerSupportAgent agent;

  public SupportController(CustomerSupportAgent agent) {
    this.agent = agent;
  }

  @GetMapping("/sessions/{sessionId}/support")
  public String support(@PathVariable String sessionId, @RequestParam String message) {
    return agent.answer(sessionId, message);
  }
}

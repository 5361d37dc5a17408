package dev.llmotel.smoke.springai;

import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;

/** The app's agent: answers questions through a ChatClient, looking the weather up with a tool. */
final class WeatherAgent {
  private final ChatClient client;

  WeatherAgent(ChatModel model, Object tools) {
    this(model, tools, ObservationRegistry.NOOP);
  }

  WeatherAgent(ChatModel model, Object tools, ObservationRegistry observations) {
    this.client = ChatClient.builder(model, observations, null, null).defaultTools(tools).build();
  }

  String ask(String question) {
    return client.prompt().user(question).call().content();
  }

  String askStreaming(String question) {
    List<String> parts = client.prompt().user(question).stream().content().collectList().block();
    return "parts=" + (parts == null ? 0 : parts.size()) + " text=" + (parts == null ? "" : String.join("", parts));
  }
}

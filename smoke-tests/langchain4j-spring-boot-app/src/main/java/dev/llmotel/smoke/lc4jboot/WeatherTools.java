package dev.llmotel.smoke.lc4jboot;

import dev.langchain4j.agent.tool.Tool;
import org.springframework.stereotype.Component;

/** The assistants' tool. */
@Component
public class WeatherTools {
  @Tool("Current weather in a city")
  public String get_weather(String city) {
    return "{\"city\": \"" + city + "\", \"temperature_c\": 18}";
  }
}

package dev.llmotel.smoke.lc4jboot;

import dev.langchain4j.agent.tool.Tool;
import org.springframework.stereotype.Component;

/** The support agent's view of the booking system. */
@Component
public class BookingTools {
  @Tool("Details of a booking")
  public String getBookingDetails(String bookingNumber, String customerName, String customerSurname) {
    return "{\"booking\": \"" + bookingNumber + "\", \"customer\": \"" + customerName + " " + customerSurname
        + "\", \"car\": \"compact\", \"from\": \"2025-07-01\", \"to\": \"2025-07-08\"}";
  }
}

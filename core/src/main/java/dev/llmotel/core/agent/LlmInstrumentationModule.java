package dev.llmotel.core.agent;

import io.opentelemetry.javaagent.extension.instrumentation.HelperResourceBuilder;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of every llm-otel instrumentation module. Its helper classes are the generated lists of the
 * shared modules (semconv, core) plus the module's own list, written at build time by the
 * "helper-class-list" step of the parent pom.
 */
public abstract class LlmInstrumentationModule extends InstrumentationModule {
  private static final Logger logger = Logger.getLogger(LlmInstrumentationModule.class.getName());
  private static final String[] SHARED_HELPER_LISTS = {
      "llm-otel-semconv", "llm-otel-core", "llm-otel-shaded-jtokkit", "llm-otel-shaded-jsonschema"};
  /**
   * Resources the shaded libraries load from their own class loader: the tokenizer's vocabularies,
   * and the JSON Schema validator's messages and the meta-schemas it checks a declared schema against.
   */
  private static final String[] HELPER_RESOURCES = {
      "dev/llmotel/shaded/jtokkit/o200k_base.tiktoken", "dev/llmotel/shaded/jtokkit/cl100k_base.tiktoken",
      "dev/llmotel/shaded/jsonschema/messages.properties", "draft2020-12.json",
      "dev/llmotel/shaded/jsonschema/draft-07/schema.json", "dev/llmotel/shaded/jsonschema/draft-06/schema.json",
      "dev/llmotel/shaded/jsonschema/draft-04/schema.json", "dev/llmotel/shaded/jsonschema/draft/2019-09/schema.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/applicator.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/content.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/core.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/format.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/meta-data.json",
      "dev/llmotel/shaded/jsonschema/draft/2019-09/meta/validation.json"};

  private final String helperListName;

  /**
   * @param helperListName the artifactId of the module, which names its generated helper list
   */
  protected LlmInstrumentationModule(String helperListName, String mainName, String... otherNames) {
    super(mainName, otherNames);
    this.helperListName = helperListName;
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    List<String> names = new ArrayList<>();
    for (String list : SHARED_HELPER_LISTS) {
      names.addAll(readList(list));
    }
    names.addAll(readList(helperListName));
    return names;
  }

  @Override
  public void registerHelperResources(HelperResourceBuilder helperResourceBuilder) {
    for (String resource : HELPER_RESOURCES) {
      helperResourceBuilder.register(resource);
    }
  }

  private List<String> readList(String name) {
    String resource = "META-INF/llm-otel/helpers/" + name + ".txt";
    InputStream in = LlmInstrumentationModule.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      logger.log(Level.SEVERE, "llm-otel: helper list {0} is missing from the extension jar; "
          + "instrumentation {1} cannot work", new Object[] {resource, instrumentationName()});
      return Collections.emptyList();
    }
    List<String> names = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.trim();
        if (!line.isEmpty()) names.add(line);
      }
    } catch (IOException e) {
      logger.log(Level.SEVERE, "llm-otel: cannot read helper list " + resource, e);
    }
    return names;
  }
}

package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;

/** A function tool as offered upstream: name, full description (mode prefix included), JSON schema. */
public record ToolSpec(String name, String description, JsonNode parameters) {}

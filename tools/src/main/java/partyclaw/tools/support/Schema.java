package partyclaw.tools.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;

/**
 * Builds argument schemas in the reference's style (tools.md §1.1): an object with plain-typed properties,
 * a required list and {@code additionalProperties:false}.
 */
public final class Schema {
  private final ObjectNode root = Json.object();
  private final ObjectNode properties;
  private final ArrayNode required;

  private Schema() {
    root.put("type", "object");
    properties = root.putObject("properties");
    required = root.putArray("required");
  }

  public static Schema object() {
    return new Schema();
  }

  public Schema string(String name, String description) {
    return prop(name, "string", description);
  }

  public Schema integer(String name, String description) {
    ObjectNode p = (ObjectNode) prop(name, "integer", description).properties.get(name);
    p.put("minimum", 0);
    return this;
  }

  public Schema number(String name, String description) {
    return prop(name, "number", description);
  }

  public Schema bool(String name, String description) {
    return prop(name, "boolean", description);
  }

  /** A free-form object, such as HTTP headers. */
  public Schema object(String name, String description) {
    return prop(name, "object", description);
  }

  public Schema stringEnum(String name, String description, String... values) {
    ObjectNode p = (ObjectNode) prop(name, "string", description).properties.get(name);
    ArrayNode e = p.putArray("enum");
    for (String v : values) e.add(v);
    return this;
  }

  /** The reference's one-line description of the execution target. */
  public Schema remote() {
    return string("remote", "Execution target.");
  }

  public Schema required(String... names) {
    for (String n : names) required.add(n);
    return this;
  }

  public ObjectNode build() {
    ObjectNode copy = root.deepCopy();
    copy.put("additionalProperties", false);
    return copy;
  }

  private Schema prop(String name, String type, String description) {
    ObjectNode p = properties.putObject(name);
    p.put("type", type);
    p.put("description", description);
    return this;
  }
}

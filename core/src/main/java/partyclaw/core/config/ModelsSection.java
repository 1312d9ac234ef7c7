package partyclaw.core.config;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code models} in the layout of the file's version and converts it to the latest one:
 * <ul>
 *   <li>0.1: flat map of untyped models; each becomes an {@code openrouter} chat model.</li>
 *   <li>0.2–0.5: {@code {chat:{…}, vision:{…}, web_search:{…}}} catalogs; chat entries get {@code chat}, vision
 *       entries {@code chat} + {@code image_in}; web-search entries become the legacy search catalog (model-shaped
 *       in 0.2, external-search objects from 0.3).</li>
 *   <li>0.6+: flat alias-keyed models with {@code capabilities}.</li>
 * </ul>
 * An inline {@code external_web_search} (0.1–0.5) joins the catalog as {@code <alias>_web_search}. Then each
 * model's {@code web_search} and {@code image_tool_model} references are checked.
 */
final class ModelsSection {
  /** The models in alias order, and where each was defined (for problem paths). */
  record Result(Map<String, ModelConfig> models, Map<String, String> paths) {}

  private final LoadContext ctx;
  private final ModelReader reader;
  private final Map<String, ModelReader.ReadModel> read = new TreeMap<>();
  private final Map<String, ExternalWebSearchConfig> catalog = new LinkedHashMap<>();

  private ModelsSection(LoadContext ctx) {
    this.ctx = ctx;
    this.reader = new ModelReader(ctx);
  }

  static Result read(JsonFields root, LoadContext ctx) {
    ModelsSection section = new ModelsSection(ctx);
    root.object("models").ifPresent(models -> {
      if (ctx.version().equals(ConfigVersions.LEGACY)) section.readFlat(models, ModelReader.Shape.LEGACY_FLAT);
      else if (!ctx.atLeast("0.6")) section.readCatalogs(models);
      else section.readFlat(models, ModelReader.Shape.LATEST);
    });
    return section.resolveReferences();
  }

  private void readFlat(JsonFields models, ModelReader.Shape shape) {
    Set<Capability> implied = shape == ModelReader.Shape.LEGACY_FLAT ? EnumSet.of(Capability.CHAT) : Set.of();
    for (String alias : models.keys()) {
      if (!checkAlias(models, alias)) continue;
      JsonFields.of(models.node().get(alias), models.path(alias), ctx.problems()).ifPresent(f -> {
        read.put(alias, reader.read(alias, f, shape, implied));
        if (shape == ModelReader.Shape.LEGACY_FLAT) readInlineWebSearch(alias, f);
      });
    }
  }

  private void readCatalogs(JsonFields models) {
    Map<String, String> seenIn = new LinkedHashMap<>();
    for (String catalogName : new String[] {"chat", "vision"}) {
      Set<Capability> implied = catalogName.equals("vision")
          ? EnumSet.of(Capability.CHAT, Capability.IMAGE_IN) : EnumSet.of(Capability.CHAT);
      models.object(catalogName).ifPresent(entries -> {
        for (String alias : entries.keys()) {
          if (!checkAlias(entries, alias)) continue;
          if (seenIn.containsKey(alias)) {
            ctx.problems().add(entries.path(alias), "duplicate model name '" + alias + "' across model catalogs",
                "rename one of the two: every model name must be unique across chat and vision");
            continue;
          }
          seenIn.put(alias, catalogName);
          JsonFields.of(entries.node().get(alias), entries.path(alias), ctx.problems()).ifPresent(f -> {
            read.put(alias, reader.read(alias, f, ModelReader.Shape.CATALOG, implied));
            readInlineWebSearch(alias, f);
          });
        }
      });
    }
    models.object("web_search").ifPresent(entries -> {
      for (String name : entries.keys()) {
        JsonFields.of(entries.node().get(name), entries.path(name), ctx.problems()).ifPresent(f ->
            addToCatalog(ctx.atLeast("0.3") ? reader.readExternalWebSearch(name, f) : reader.readModelShapedWebSearch(name, f),
                entries.path(name)));
      }
    });
  }

  private boolean checkAlias(JsonFields parent, String alias) {
    if (!alias.isBlank()) return true;
    ctx.problems().add(parent.path(alias), "model alias must not be empty", "give the model a short name, e.g. \"main\"");
    return false;
  }

  private void readInlineWebSearch(String alias, JsonFields model) {
    model.object("external_web_search").ifPresent(f -> {
      String name = alias + "_web_search";
      addToCatalog(reader.readExternalWebSearch(name, f), f.path());
      // The inline definition is the model's search backend, whatever else it names.
      ModelReader.ReadModel m = read.get(alias);
      read.put(alias, new ModelReader.ReadModel(m.config().withWebSearch(name, null), m.path(), "external_web_search"));
    });
  }

  private void addToCatalog(ExternalWebSearchConfig entry, String path) {
    ExternalWebSearchConfig existing = catalog.get(entry.name());
    if (existing == null) {
      catalog.put(entry.name(), entry);
    } else if (!existing.sameSettings(entry)) {
      ctx.problems().add(path, "web search config '" + entry.name() + "' is defined twice with different settings",
          "rename one of them or make their settings identical");
    }
  }

  private Result resolveReferences() {
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    for (ModelReader.ReadModel m : read.values()) {
      ModelConfig c = m.config();
      String image = c.imageToolModel();
      if (image != null && !image.equals("self") && !read.containsKey(image)) {
        ctx.problems().add(JsonPath.child(m.path(), "image_tool_model"),
            "model '" + c.alias() + "' references unknown image_tool_model '" + image + "'",
            "use \"self\" or one of the model aliases: " + aliases());
      }
      for (String fallback : c.fallbackModels()) {
        if (!read.containsKey(fallback) || fallback.equals(c.alias())) {
          ctx.problems().add(JsonPath.child(m.path(), "fallback_models"),
              "model '" + c.alias() + "' references " + (fallback.equals(c.alias()) ? "itself" : "unknown model '"
                  + fallback + "'") + " in fallback_models",
              "list other model aliases: " + aliases());
        }
      }
      String search = c.webSearch();
      if (search != null && !read.containsKey(search)) {
        Optional<ExternalWebSearchConfig> entry = Optional.ofNullable(catalog.get(search));
        if (entry.isPresent()) {
          c = c.withWebSearch(search, entry.get());
        } else {
          ctx.problems().add(JsonPath.child(m.path(), m.webSearchKey() == null ? "web_search" : m.webSearchKey()),
              "model '" + c.alias() + "' references unknown web_search_model '" + search + "'",
              "use one of the model aliases: " + aliases());
        }
      }
      models.put(c.alias(), c);
      paths.put(c.alias(), m.path());
    }
    return new Result(models, paths);
  }

  private String aliases() {
    return read.isEmpty() ? "(none defined)" : String.join(", ", read.keySet());
  }
}

package partyclaw.core.memory;

import java.util.List;

/**
 * What one layered-mode compaction produced (runtime.md §4.3): the summary of the replaced range, the prior
 * summaries folded into {@code oldSummary}, and the hints that feed {@code MEMORY.json}.
 */
public record LayeredSummary(
    String oldSummary,
    String newSummary,
    List<String> keywords,
    ImportantRefs importantRefs,
    List<MemoryHint> memoryHints,
    String nextStep) {

  public LayeredSummary {
    oldSummary = oldSummary == null ? "" : oldSummary;
    newSummary = newSummary == null ? "" : newSummary;
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
    importantRefs = importantRefs == null ? ImportantRefs.EMPTY : importantRefs;
    memoryHints = memoryHints == null ? List.of() : List.copyOf(memoryHints);
    nextStep = nextStep == null ? "" : nextStep;
  }

  /** {@code important_refs}: what later turns may need verbatim. */
  public record ImportantRefs(List<String> paths, List<String> commands, List<String> errors, List<String> urls,
      List<String> ids) {
    public static final ImportantRefs EMPTY = new ImportantRefs(null, null, null, null, null);

    public ImportantRefs {
      paths = paths == null ? List.of() : List.copyOf(paths);
      commands = commands == null ? List.of() : List.copyOf(commands);
      errors = errors == null ? List.of() : List.copyOf(errors);
      urls = urls == null ? List.of() : List.copyOf(urls);
      ids = ids == null ? List.of() : List.copyOf(ids);
    }
  }

  /** One {@code memory_hints} entry: conclusions filed under a group name, merged into {@code MEMORY.json}. */
  public record MemoryHint(String group, List<String> conclusions) {
    public MemoryHint {
      conclusions = conclusions == null ? List.of() : List.copyOf(conclusions);
    }
  }
}

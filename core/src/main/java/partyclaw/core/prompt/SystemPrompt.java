package partyclaw.core.prompt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The system prompt of an agent (runtime.md §8), one message sent once per request: the reference wraps its
 * host prompt in a second prompt that repeats it (§9 item 12). Kept compact: the tool schemas carry the
 * details of each tool, so the prompt says only what no schema can (policies, delegation, the runtime's
 * notices).
 *
 * <p>Parts are joined by blank lines, in the order of {@link BuiltPrompt#partSizes()}; a part whose input is
 * null or blank is left out. {@link BuiltPrompt#staticHash()} covers only the parts that change when the
 * deployment does (intro, kind rules, memory-mode lines, model line and catalog, local mounts, remote workpaths),
 * not the per-conversation
 * snapshot parts (identity, user meta, workspace summary, runtime notes, PARTCLAW.md, skills), so a caller can
 * tell when its stored prompt must be rebuilt (§4.5).
 */
public final class SystemPrompt {
  public static final String MEMORY_LAYERED = "layered";
  public static final String MEMORY_CLAUDE_CODE = "claude_code";

  /** Names of the parts, in prompt order. */
  public static final List<String> PART_NAMES = List.of("intro", "model", "models", "kind_rules", "identity",
      "user_meta", "workspace_summary", "runtime_notes", "remote_workpaths", "mounts", "memory", "skills");

  private static final Set<AgentKind> MAIN = Set.of(AgentKind.MAIN_FOREGROUND, AgentKind.MAIN_BACKGROUND);
  private static final Set<AgentKind> FOREGROUND = Set.of(AgentKind.MAIN_FOREGROUND);
  private static final Set<AgentKind> ALL = Set.of(AgentKind.values());

  private SystemPrompt() {}

  /** One entry of the model catalog. */
  public record ModelLine(String alias, String description) {}

  /**
   * Everything the prompt is built from. Null or blank values leave their section out; {@code memoryMode} is
   * {@value #MEMORY_LAYERED}, {@value #MEMORY_CLAUDE_CODE} or null/blank (no memory section).
   */
  public record Inputs(AgentKind kind, String workspaceRoot, String language, String modelAlias,
      String modelDescription, List<ModelLine> availableModels, String identity, String userMeta,
      String workspaceSummary, String runtimeNotes, String memoryMode, String partclawMd, String skillsBlock,
      String globalInstallRoot, List<String> localMounts, String remoteWorkpaths) {

    public Inputs {
      kind = kind == null ? AgentKind.MAIN_FOREGROUND : kind;
      localMounts = localMounts == null ? List.of() : List.copyOf(localMounts);
      availableModels = availableModels == null ? List.of() : List.copyOf(availableModels);
      if (present(memoryMode) && !memoryMode.equals(MEMORY_LAYERED) && !memoryMode.equals(MEMORY_CLAUDE_CODE)) {
        throw new IllegalArgumentException("memory mode must be " + MEMORY_LAYERED + " or " + MEMORY_CLAUDE_CODE
            + ", not " + memoryMode);
      }
    }

    /** Without remote workpaths. */
    public Inputs(AgentKind kind, String workspaceRoot, String language, String modelAlias,
        String modelDescription, List<ModelLine> availableModels, String identity, String userMeta,
        String workspaceSummary, String runtimeNotes, String memoryMode, String partclawMd, String skillsBlock,
        String globalInstallRoot, List<String> localMounts) {
      this(kind, workspaceRoot, language, modelAlias, modelDescription, availableModels, identity, userMeta,
          workspaceSummary, runtimeNotes, memoryMode, partclawMd, skillsBlock, globalInstallRoot, localMounts, null);
    }

    /** Without local mounts. */
    public Inputs(AgentKind kind, String workspaceRoot, String language, String modelAlias,
        String modelDescription, List<ModelLine> availableModels, String identity, String userMeta,
        String workspaceSummary, String runtimeNotes, String memoryMode, String partclawMd, String skillsBlock,
        String globalInstallRoot) {
      this(kind, workspaceRoot, language, modelAlias, modelDescription, availableModels, identity, userMeta,
          workspaceSummary, runtimeNotes, memoryMode, partclawMd, skillsBlock, globalInstallRoot, List.of());
    }

    /** A main foreground prompt from the model line and catalog aliases alone (no profile, memory or skills). */
    public Inputs(String workspaceRoot, String language, String modelAlias, String modelDescription,
        List<String> availableModels) {
      this(AgentKind.MAIN_FOREGROUND, workspaceRoot, language, modelAlias, modelDescription,
          availableModels == null ? null : availableModels.stream().map(a -> new ModelLine(a, null)).toList(),
          null, null, null, null, null, null, null, null);
    }
  }

  /**
   * The prompt text; the size in chars of every part in {@link #PART_NAMES} order (0 for a part left out;
   * the blank-line separators are not counted); the hex SHA-256 of the static parts.
   */
  public record BuiltPrompt(String text, LinkedHashMap<String, Integer> partSizes, String staticHash) {}

  public static BuiltPrompt build(Inputs in) {
    LinkedHashMap<String, String> parts = new LinkedHashMap<>();
    parts.put("intro", intro(in));
    parts.put("model", present(in.modelAlias())
        ? modelLine(in.modelAlias(), in.modelDescription(), "Current model profile: ", " - ")
        : "");
    parts.put("models", catalog(in.availableModels()));
    parts.put("kind_rules", kindRules(in.kind()));
    parts.put("identity", section("Identity:", in.identity()));
    parts.put("user_meta", section("User meta:", in.userMeta()));
    parts.put("workspace_summary", section("Current workspace summary:", in.workspaceSummary()));
    parts.put("runtime_notes", section("Runtime notes:", in.runtimeNotes()));
    parts.put("remote_workpaths", present(in.remoteWorkpaths()) ? in.remoteWorkpaths().strip() : "");
    parts.put("mounts", in.localMounts().isEmpty() ? ""
        : "Local mounts (host folders visible to your tools at the same path):\n- "
            + String.join("\n- ", in.localMounts()));
    String memoryStatic = memoryLines(in.memoryMode());
    parts.put("memory", memoryStatic.isEmpty() || !MEMORY_CLAUDE_CODE.equals(in.memoryMode())
        ? memoryStatic
        : join("\n", memoryStatic, section("PARTCLAW.md:", in.partclawMd())));
    parts.put("skills", present(in.skillsBlock()) ? in.skillsBlock().strip() : "");

    LinkedHashMap<String, Integer> sizes = new LinkedHashMap<>();
    List<String> shown = new ArrayList<>();
    for (String name : PART_NAMES) {
      String text = parts.get(name);
      sizes.put(name, text.length());
      if (!text.isEmpty()) shown.add(text);
    }
    List<String> hashed = new ArrayList<>(List.of(parts.get("intro"), parts.get("model"), parts.get("models"),
        parts.get("kind_rules"), memoryStatic, parts.get("mounts")));
    // Like mounts, a workpath added or removed (or its AGENTS.md changed) rebuilds the prompt at the next turn; only
    // when there is one, so the hash of every prompt without workpaths stays what it was.
    if (!parts.get("remote_workpaths").isEmpty()) hashed.add(parts.get("remote_workpaths"));
    String hash = sha256(hashed);
    return new BuiltPrompt(String.join("\n\n", shown), sizes, hash);
  }

  private static String intro(Inputs in) {
    AgentKind kind = in.kind();
    StringBuilder sb = new StringBuilder();
    sb.append(kind.header()).append('\n').append(role(kind)).append('\n');
    if (present(in.workspaceRoot())) {
      sb.append("Workspace root: ").append(in.workspaceRoot().strip()).append('\n')
          .append("File and shell tools work inside this directory; relative paths resolve against it and paths"
              + " outside it are refused.\n");
    }
    sb.append("\nRules:");
    rule(sb, kind, ALL, "Never invent results: verify with tools before you state facts about files, commands or"
        + " the web, and check what you rely on before you use it.");
    rule(sb, kind, ALL, "Engineering work: read the relevant code first, change it in focused steps, then build or"
        + " test to confirm; say what you verified and what you could not.");
    rule(sb, kind, ALL, "An AGENTS.md file holds instructions for its directory and everything below it; read the"
        + " ones on the paths you work in and follow them (the deepest one wins).");
    rule(sb, kind, ALL, "Skills: when a task matches an installed skill, load it with skill_load first and follow"
        + " it. Use .skill_memory/<skill-name>/ only when a loaded skill asks for it, and only that skill's"
        + " directory.");
    rule(sb, kind, MAIN, "user_tell sends a short message at once (progress, a question, an intermediate result);"
        + " your final answer is delivered automatically, so do not repeat it with user_tell.");
    rule(sb, kind, FOREGROUND, "A message starting with [Interrupted Follow-up] arrived while you were working:"
        + " acknowledge it with user_tell before doing more tool work, then adapt your plan.");
    rule(sb, kind, FOREGROUND, "[Runtime Prompt Updates], [Runtime Skill Updates] and [System Tip: ...] messages"
        + " come from the runtime, not from the user: take them into account without answering them.");
    rule(sb, kind, MAIN, "Profile files: USER.md (about the user) and IDENTITY.md (your persona) are in the"
        + " workspace root. After editing one, call shared_profile_upload to keep the change for every"
        + " conversation; a newer shared copy replaces the workspace copy.");
    rule(sb, kind, ALL, "Use file_read, grep, glob and ls instead of cat, grep, find, head, tail or ls in the"
        + " shell.");
    rule(sb, kind, ALL, "Remote hosts: pass remote=<ssh host alias> to the file, search and exec tools (ssh in"
        + " the shell is refused); relative remote paths resolve in the host's workpath, else its home directory.");
    rule(sb, kind, MAIN, "Register a host's working directory with workpath_add; the prompt lists it with its"
        + " AGENTS.md from the next turn on.");
    rule(sb, kind, ALL, "To chain several tool and LLM calls without extra rounds, use dsl_start (restricted"
        + " Python: no loops, imports or functions).");
    rule(sb, kind, ALL, "Run independent tool calls in one batch; they execute in parallel.");
    rule(sb, kind, ALL, "Commands must not wait for input: use non-interactive flags (-y, --no-pager, CI=1)."
        + " Long commands: exec_start returns an exec_id; poll with exec_observe or exec_wait, stop with"
        + " exec_kill. Processes survive the turn.");
    if (present(in.globalInstallRoot())) {
      rule(sb, kind, ALL, "Install software under " + in.globalInstallRoot().strip()
          + " (as the install prefix, a virtualenv or npm --prefix), never system-wide.");
    }
    rule(sb, kind, ALL, "To send a workspace file, put <attachment>relative/path</attachment> in your answer.");
    rule(sb, kind, ALL, "Write like a chat: short, direct messages without filler; lists and code blocks only"
        + " when they help.");
    rule(sb, kind, ALL, present(in.language())
        ? "Reply in " + in.language().strip() + " unless the user asks for another language."
        : "Reply in the language the user writes in.");
    return sb.toString();
  }

  private static String role(AgentKind kind) {
    return switch (kind) {
      case MAIN_FOREGROUND -> "You are an engineering agent running as an always-on chat service. Several people"
          + " may talk to you in one conversation; messages can arrive while you work.";
      case MAIN_BACKGROUND -> "You are an engineering agent working in the background on one task for a chat"
          + " conversation, while its main agent keeps talking with the users.";
      case SUB_AGENT -> "You are an engineering agent working on one task delegated to you by another agent.";
    };
  }

  private static void rule(StringBuilder sb, AgentKind kind, Set<AgentKind> kinds, String text) {
    if (kinds.contains(kind)) sb.append("\n- ").append(text);
  }

  private static String kindRules(AgentKind kind) {
    return switch (kind) {
      case MAIN_FOREGROUND -> "Delegation:\n"
          + "- Do small or tightly coupled work yourself. Give independent, well-scoped pieces (research, a"
          + " separate module, a long check) to sub-agents with subagent_start and collect them with"
          + " subagent_join. A sub-agent shares your workspace but not your history: describe the task"
          + " completely, with paths and what to return.\n"
          + "- Use start_background_agent for long work the user should not wait for; its final answer reaches"
          + " this chat and your context by itself. A sub-agent belongs to your turn, a background agent"
          + " outlives it.\n"
          + "- Check background_agents_list before starting work a background agent may already own; do not run"
          + " duplicates.\n"
          + "- Choose the model for delegated work deliberately from the available models.";
      case MAIN_BACKGROUND -> "Background work:\n"
          + "- Your task is the first message; nobody waits on you turn by turn. Work in a few large steps;"
          + " join every sub-agent you start before you finish.\n"
          + "- Your final answer is delivered to the chat and inserted into the main agent's context: make it a"
          + " self-contained report of the results, not a progress note, and do not send it with user_tell.\n"
          + "- If there is nothing worth reporting, call terminate to end silently.";
      case SUB_AGENT -> "Sub-agent work:\n"
          + "- Stay within the task you were given; nobody but the delegating agent sees your answer.\n"
          + "- End with a concise summary: what you did, the results, and every file you created or changed.";
    };
  }

  private static String memoryLines(String mode) {
    if (MEMORY_LAYERED.equals(mode)) {
      return "Memory mode: layered.\n"
          + "Older parts of this conversation are compacted into summaries; find details with memory_search and"
          + " rollout_search, and read a past exchange in full with rollout_read.";
    }
    if (MEMORY_CLAUDE_CODE.equals(mode)) {
      return "Memory mode: claude_code.\n"
          + "PARTCLAW.md in the workspace root is your long-term memory for this workspace; the copy below is from"
          + " when this context began, so re-read the file when you need its current content.\n"
          + "When you learn something durable (project facts, decisions, unfinished work and the ids of running"
          + " jobs), record it in PARTCLAW.md with your file tools; keep it short and delete stale entries.";
    }
    return "";
  }

  private static String catalog(List<ModelLine> models) {
    if (models.isEmpty()) return "";
    StringBuilder sb = new StringBuilder("Available models:");
    for (ModelLine m : models) sb.append('\n').append(modelLine(m.alias(), m.description(), "- ", ": "));
    return sb.toString();
  }

  private static String modelLine(String alias, String description, String prefix, String separator) {
    return prefix + alias.strip() + (present(description) ? separator + description.strip() : "");
  }

  private static String section(String title, String body) {
    return present(body) ? title + "\n" + body.strip() : "";
  }

  private static String join(String sep, String a, String b) {
    return b.isEmpty() ? a : a + sep + b;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /**
   * Recent hashes by their parts: every turn of every conversation rebuilds its prompt, and the parts rarely change
   * between turns. Bounded, least recently used out; comparing the parts costs far less than hashing them.
   */
  private static final Map<List<String>, String> RECENT_HASHES = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, String> eldest) {
          return size() > 256;
        }
      });

  private static String sha256(List<String> parts) {
    List<String> key = List.copyOf(parts);
    String known = RECENT_HASHES.get(key);
    if (known != null) return known;
    String hash = computeSha256(key);
    RECENT_HASHES.put(key, hash);
    return hash;
  }

  private static String computeSha256(List<String> parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        digest.update(p.getBytes(StandardCharsets.UTF_8));
        // A separator no prompt text contains, so moving text between parts changes the hash.
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}

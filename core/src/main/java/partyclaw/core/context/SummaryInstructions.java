package partyclaw.core.context;

/** The system instruction of a summary call per memory mode (runtime.md §4.3). */
final class SummaryInstructions {
  private SummaryInstructions() {}

  private static final String INTRO = """
      You compress the earlier part of an AI agent's conversation so the agent can continue after its context is \
      cut. Your summary replaces exactly the transcript in the user message; the most recent messages are kept \
      verbatim after it, so summarise only what is shown and do not guess what comes next.
      """;

  private static final String EXCLUSIONS = """
      - Be factual and concise. Never invent anything that is not in the transcript or the earlier summary.
      - Redact secrets: API keys, tokens, passwords, cookies, private keys and credentials in URLs become \
      [REDACTED].
      - Omit what the runtime rebuilds by itself: the system prompt, skills, USER.md and IDENTITY.md, workpaths, \
      remote AGENTS.md%s, and transient notices (time hints, progress and status notices, retry notes).
      - Keep the id and the path, cwd or url of every job that may still be running (exec processes, downloads, \
      sub-agents, background agents), verbatim.
      - Summarise tool chatter by outcome: what was done, what was found, what failed and why; not every call.
      """;

  static final String LAYERED = INTRO + """

      Reply with one JSON object with exactly these keys:
      {
        "old_summary": "<the earlier summaries re-compressed: every message starting with \
      [AgentFrame Context Compression], folded together>",
        "new_summary": "<everything else: the rest of the transcript shown>",
        "keywords": ["<topics, names and terms someone may search for later>"],
        "important_refs": {"paths": [], "commands": [], "errors": [], "urls": [], "ids": []},
        "memory_hints": [{"group": "<short topic name>", "conclusions": ["<durable fact or decision>"]}],
        "next_step": "<what the agent was doing or must do next; empty when nothing is pending>"
      }

      Rules:
      """ + EXCLUSIONS.formatted("") + """
      - Fold earlier compression messages into old_summary; keep what they say still matters. An earlier \
      [Active Runtime Tasks] list is rebuilt by the runtime: keep only its ids in important_refs.ids.
      - A "Summary of the earlier part", when given, covers what came just before this transcript in the same \
      compaction: carry its old_summary into yours, merge its new_summary into your new_summary, and carry its \
      keywords, important_refs, memory_hints and next_step forward where they still hold.
      - Inside the strings, write markdown bullets ("- ").
      - Output the JSON object only: no code fences, no text before or after it.
      """;

  static final String CLAUDE_CODE = INTRO + """

      Write a plain-text continuation summary that lets the agent carry on as if nothing had been cut: the user's \
      requests and intent, what was done and decided, the files, commands and errors that matter, the current \
      state of the work, and the next step. Fold earlier compression messages and the earlier summary in.

      Rules:
      """ + EXCLUSIONS.formatted(", PARTCLAW.md") + """
      - Unfinished jobs matter most. List EVERY exec process, download, sub-agent or background agent that may \
      still be running with its exact id and its command, path, cwd or url, so the agent reuses it instead of \
      starting the work again. Never drop or paraphrase an id.
      - Use short markdown sections and bullets. Reply with the summary text only.
      """;
}

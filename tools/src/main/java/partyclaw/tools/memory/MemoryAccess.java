package partyclaw.tools.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import partyclaw.core.memory.ConversationMemory;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** What the three memory tools share: the conversation's memory store, its errors as tool errors, list args. */
final class MemoryAccess {
  static final long DEFAULT_LIMIT = 10;

  private MemoryAccess() {}

  static ConversationMemory of(ToolContext ctx) {
    return new ConversationMemory(ctx.workdir().conversationMemory(ctx.conversationId()));
  }

  /** Runs a read; a bad id or anchor and an unreadable file become the one-line error the model sees. */
  static JsonNode read(Supplier<JsonNode> read) throws ToolException {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage());
    } catch (UncheckedIOException e) {
      throw new ToolException("could not read the conversation memory: " + e.getCause().getMessage());
    }
  }

  static int optInt(JsonNode args, String key, long dflt) throws ToolException {
    return (int) Math.min(Integer.MAX_VALUE, Args.optNonNegativeInt(args, key, dflt));
  }

  /** An optional array of strings; null when absent. */
  static List<String> optStrings(JsonNode args, String key) throws ToolException {
    if (!Args.has(args, key)) return null;
    JsonNode v = args.get(key);
    if (!v.isArray()) throw new ToolException("argument " + key + " must be an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) throw new ToolException("argument " + key + " must be an array of strings");
      out.add(item.asText());
    }
    return out;
  }
}

package partyclaw.app.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionStage;

/** What the console socket asks of the running daemon; implemented by {@link DaemonConsole}. */
public interface ConsoleBackend {

  /** The daemon's state as {@code partyclaw status} shows it. */
  CompletionStage<ObjectNode> status();

  /** Hands one line typed on an attached terminal to the conversation; true once it is persisted. */
  CompletionStage<Boolean> submit(String conversationId, String messageId, String user, String text);

  /** True when the conversation has nothing left to do or deliver. */
  CompletionStage<Boolean> quiet(String conversationId);

  /** A terminal now watches {@code conversationId}. */
  void attached(String conversationId);

  /** The last terminal watching {@code conversationId} went away. */
  void detached(String conversationId);
}

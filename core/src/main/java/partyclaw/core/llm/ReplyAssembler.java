package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;

/** Collects one reply of a provider protocol (Chat Completions or Responses) from SSE data or a whole JSON body. */
interface ReplyAssembler {
  /** One SSE data payload. */
  void acceptData(String data);

  /** A whole non-streamed body. */
  void acceptCompletion(JsonNode body);

  /** True once the reply is complete: a cut after this point loses nothing. */
  boolean complete();

  /** True when the stream said it is over: the rest of the body may be left unread. */
  boolean sawDone();

  int dataEvents();

  ChatResponse response();
}

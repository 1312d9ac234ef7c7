package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.transcript.ToolCall;

/**
 * Found by {@link ModelStreamFuzzTest} (seed 1, stream #8): a stream whose two tool calls carry the same id must still
 * give calls whose results can be paired one to one.
 */
class DuplicateToolCallIdsTest {

  @Test
  void twoToolCallsWithTheSameIdGetIdsOfTheirOwn() {
    ChatCompletionAssembler assembler = new ChatCompletionAssembler(null);
    assembler.acceptData("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
        + "{\"index\":0,\"id\":\"call_dup\",\"function\":{\"name\":\"file_read\",\"arguments\":\"{}\"}},"
        + "{\"index\":1,\"id\":\"call_dup\",\"function\":{\"name\":\"file_read\",\"arguments\":\"{}\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}]}");
    assembler.acceptData("[DONE]");
    List<ToolCall> calls = assembler.response().message().toolCalls();
    assertEquals(2, calls.size());
    assertNotEquals(calls.get(0).id(), calls.get(1).id());
  }
}

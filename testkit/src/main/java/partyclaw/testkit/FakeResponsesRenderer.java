package partyclaw.testkit;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Step} as an OpenAI Responses API reply: when the request streamed, the events
 * {@code response.created}, {@code response.output_text.delta}…, {@code response.output_item.done} per item and
 * {@code response.completed}; otherwise the response object as JSON. Error and raw steps render as for Chat
 * Completions.
 */
final class FakeResponsesRenderer {

  private static final ContentType EVENT_STREAM = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);

  private final ObjectMapper mapper;
  private final FakeReplyRenderer chat;

  FakeResponsesRenderer(ObjectMapper mapper, FakeReplyRenderer chat) {
    this.mapper = mapper;
    this.chat = chat;
  }

  HttpResponse render(Step step, RecordedRequest request, String responseId) {
    if (step.kind != Step.Kind.REPLY) return chat.render(step, request, responseId);
    ObjectNode response = response(step, request, responseId);
    if (!request.stream()) {
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
          write(response).getBytes(StandardCharsets.UTF_8));
    }
    List<ObjectNode> events = events(step, request, responseId);
    List<ByteString> chunks = new ArrayList<>();
    for (ObjectNode event : events) {
      chunks.add(ByteString.fromString("event: " + event.path("type").asText() + "\ndata: " + write(event) + "\n\n"));
    }
    Source<ByteString, ?> source = Source.from(chunks);
    if (!step.chunkDelay.isZero()) source = source.throttle(1, step.chunkDelay);
    return HttpResponse.create().withEntity(HttpEntities.createChunked(EVENT_STREAM, source));
  }

  /** The streamed events of a reply step, from {@code response.created} to {@code response.completed}. */
  List<ObjectNode> events(Step step, RecordedRequest request, String responseId) {
    ObjectNode response = response(step, request, responseId);
    List<ObjectNode> events = new ArrayList<>();
    ObjectNode created = mapper.createObjectNode().put("type", "response.created");
    created.putObject("response").put("id", responseId).put("status", "in_progress");
    events.add(created);
    String text = step.text == null ? "" : step.text;
    for (String piece : FakeReplyRenderer.split(text, 4, 24)) {
      events.add(mapper.createObjectNode().put("type", "response.output_text.delta").put("delta", piece));
    }
    int index = 0;
    for (var item : response.withArray("output")) {
      ObjectNode done = mapper.createObjectNode().put("type", "response.output_item.done").put("output_index", index++);
      done.set("item", item);
      events.add(done);
    }
    ObjectNode completed = mapper.createObjectNode().put("type", "response.completed");
    completed.set("response", response);
    events.add(completed);
    return events;
  }

  private ObjectNode response(Step step, RecordedRequest request, String responseId) {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", responseId).put("object", "response").put("status", "completed")
        .put("model", request.model() == null ? "fake-model" : request.model());
    ArrayNode output = root.putArray("output");
    if (step.body != null) {
      output.addObject().put("type", "image_generation_call").put("id", "ig_" + responseId)
          .put("status", "completed").put("result", step.body);
    }
    if (step.text != null && !step.text.isEmpty()) {
      ObjectNode message = output.addObject();
      message.put("type", "message").put("id", "msg_" + responseId).put("role", "assistant")
          .put("status", "completed");
      message.putArray("content").addObject().put("type", "output_text").put("text", step.text)
          .putArray("annotations");
    }
    for (ToolCallSpec call : step.toolCalls) {
      output.addObject().put("type", "function_call").put("id", "fc_" + call.id()).put("call_id", call.id())
          .put("name", call.name()).put("arguments", call.argumentsJson()).put("status", "completed");
    }
    long input = step.usage != null ? step.usage.promptTokens() : Math.max(1, write(request.body()).length() / 4);
    long out = step.usage != null ? step.usage.completionTokens()
        : Math.max(1, (step.text == null ? 0 : step.text.length()) / 4);
    ObjectNode usage = root.putObject("usage");
    usage.put("input_tokens", input).put("output_tokens", out).put("total_tokens", input + out);
    usage.putObject("input_tokens_details").put("cached_tokens", step.usage != null ? step.usage.cachedTokens() : 0);
    return root;
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render fake reply", e);
    }
  }
}

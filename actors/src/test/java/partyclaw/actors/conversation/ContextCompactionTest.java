package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.config.MainAgentConfig;
import partyclaw.core.context.CompressionMessages;
import partyclaw.core.json.Json;
import partyclaw.core.llm.AttemptFailure;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.memory.MemorySearchTool;

/** Token accounting, the compaction triggers and what the model sees afterwards, on a 32,768-token model. */
class ContextCompactionTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final long WINDOW = 32_768;
  static final long THRESHOLD = 29_491;
  static final TokenEstimator GPT_4O = TokenEstimator.forModel("gpt-4o");

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** About {@code tokens} tokens of filler (o200k), tagged so every message is distinct. */
  static String filler(int tokens, String tag) {
    StringBuilder sb = new StringBuilder(tag).append(' ');
    String[] words = {"harbor", "signal", "copper", "meadow", "lantern", "granite", "willow", "ember"};
    for (int i = 0; i < tokens; i++) sb.append(words[i % words.length]).append(' ');
    return sb.toString();
  }

  /** Replies that report no usage, so the local estimate stays uncalibrated and the thresholds exact. */
  static Object ok(ChatRequest r) {
    return new ChatResponse(ChatMessage.assistant("ok", List.of()), new Usage(0, 2, 0, 1), "stop");
  }

  EntityFixture fixture(MainAgentConfig config) {
    return fixture(config, java.time.Duration.ofMinutes(5));
  }

  EntityFixture fixture(MainAgentConfig config, java.time.Duration cacheTtl) {
    EntityFixture f = new EntityFixture(testKit, workdir, WINDOW, config, cacheTtl);
    f.chat.fallback = ContextCompactionTest::ok;
    return f;
  }

  static long requestTokens(ChatRequest r) {
    return GPT_4O.estimate(r.messages(), r.tools());
  }

  static List<ConversationEntity.ContextCompacted> compactions(EntityFixture f) {
    return f.events().stream().filter(e -> e instanceof ConversationEntity.ContextCompacted)
        .map(e -> (ConversationEntity.ContextCompacted) e).toList();
  }

  /** Every tool call has exactly one result after it, and every result follows its call. */
  static void assertPaired(List<ChatMessage> messages) {
    Set<String> open = new HashSet<>();
    for (ChatMessage m : messages) {
      if (m.role() == Role.TOOL) assertTrue(open.remove(m.toolCallId()), "result without its call: " + m.toolCallId());
      m.toolCalls().forEach(c -> assertTrue(open.add(c.id()), "duplicate call " + c.id()));
    }
    assertTrue(open.isEmpty(), "calls without a result: " + open);
  }

  @Test
  void pastTheThresholdTheContextCompactsAndTheNextRequestFitsWithSummaryTailAndPairedCalls() throws Exception {
    EntityFixture f = fixture(MainAgentConfig.defaults());
    f.chat.calls(new ToolCall("c1", "echo", "{\"text\":\"x\"}")).text("noted");
    f.send(filler(3000, "m0") + " remember FACT:blue-harbor");
    assertEquals("noted", f.nextDelivery().text());
    int sent = 1;
    while (compactions(f).isEmpty() && sent < 20) {
      f.send(filler(3000, "m" + sent++));
      assertEquals("ok", f.nextDelivery().text());
    }
    assertEquals(1, compactions(f).size(), "one compaction after " + sent + " messages");
    assertEquals(CompactionReason.THRESHOLD, compactions(f).get(0).reason());

    ChatRequest next = f.chat.requests.get(f.chat.requests.size() - 1);
    List<ChatMessage> messages = next.messages();
    assertTrue(requestTokens(next) < THRESHOLD, "next request has " + requestTokens(next) + " tokens");
    assertEquals(Role.SYSTEM, messages.get(0).role());
    assertEquals(1, messages.stream().filter(CompressionMessages::isCompression).count(), messages.toString());
    assertTrue(messages.get(1).content().startsWith(CompressionMessages.MARKER), messages.get(1).content());
    ChatMessage last = messages.get(messages.size() - 1);
    assertEquals(Role.USER, last.role());
    assertEquals(filler(3000, "m" + (sent - 1)), last.content(), "the newest message stays verbatim");
    assertPaired(messages);
    assertEquals(1, f.chat.summaryRequests.size());

    // Bounded memory: the entity holds the live context only.
    ConversationState s = f.await("quiet", ConversationState::quiet);
    assertEquals(messages.size() - 1 + 1, s.transcript().size(), "live context = request minus prompt, plus the reply");

    // The fact lived only in the replaced range; layered memory still finds it.
    Path root = Files.createDirectories(new Workdir(workdir).workspaceFiles("probe"));
    EntityToolContext ctx = new EntityToolContext(f.id, "t", root.toRealPath(), new TurnSignal(), f.resources.of(f.id),
        Map.of(), new Workdir(workdir), partyclaw.core.sandbox.Sandbox.subprocess(root), "main", text -> null, plan -> null);
    JsonNode found = new MemorySearchTool().run(Json.object().put("query", "blue-harbor"), ctx);
    List<JsonNode> groups = new java.util.ArrayList<>();
    found.path("matches").forEach(m -> {
      if (m.path("layer").asText().equals("memory")) groups.add(m);
    });
    assertEquals(1, groups.size(), found.toPrettyString());
    assertEquals("facts", groups.get(0).path("group").asText());
  }

  @Test
  void aModelCallThatTimesOutOnALargeContextIsRetriedOnceAfterACompaction() {
    EntityFixture f = fixture(MainAgentConfig.defaults());
    f.chat.fallback = r -> requestTokens(r) > 12_000 ? AttemptFailure.timeout("no response within 30s") : ok(r);
    for (int i = 0; i < 3; i++) {
      f.send(filler(3000, "t" + i));
      assertEquals("ok", f.nextDelivery().text());
    }
    f.send(filler(3000, "t3"));
    assertEquals("ok", f.nextDelivery().text(), "answered after the compacted retry");
    List<ConversationEntity.ContextCompacted> done = compactions(f);
    assertEquals(1, done.size());
    assertEquals(CompactionReason.TIMEOUT, done.get(0).reason());
    int n = f.chat.requests.size();
    assertTrue(requestTokens(f.chat.requests.get(n - 2)) > 12_000, "the request that timed out");
    assertTrue(requestTokens(f.chat.requests.get(n - 1)) <= 12_000, "the compacted retry");
    assertEquals(5, n, "three turns, the timed-out call and its one retry");
  }

  @Test
  void editingTheSharedUserProfileGivesExactlyOneNoticeOnTheNextTurn() throws Exception {
    EntityFixture f = fixture(MainAgentConfig.defaults());
    f.send("hello");
    f.nextDelivery();
    Files.writeString(new Workdir(workdir).sharedUserProfile(), "---\nname: Ada Lovelace\ntimezone: UTC\n---\n");
    f.send("again");
    f.nextDelivery();
    f.send("third");
    f.nextDelivery();
    List<ChatMessage> second = f.request(1);
    List<ChatMessage> notices = second.stream()
        .filter(m -> m.role() == Role.SYSTEM && m.content().startsWith("[Runtime Prompt Updates]")).toList();
    assertEquals(1, notices.size(), second.toString());
    assertTrue(notices.get(0).content().contains("name: Ada Lovelace"), notices.get(0).content());
    assertEquals(0, f.request(2).stream()
        .filter(m -> m.role() == Role.SYSTEM && m.content().startsWith("[Runtime Prompt Updates]")).count());
    // The system prompt itself is not rewritten between compactions: providers can cache it.
    assertEquals(f.request(0).get(0).content(), f.request(2).get(0).content());
    assertEquals(1, f.request(0).stream().filter(m -> m.role() == Role.SYSTEM).count(), f.request(0).toString());
  }

  @Test
  void compactModeOffKeepsTheContextUntilCompactIsAsked() {
    EntityFixture f = fixture(MainAgentConfig.defaults());
    f.send("/compact_mode");
    assertTrue(f.nextDelivery().text().startsWith(
        "Automatic context compaction for this conversation is currently `enabled`."));
    f.send("/compact_mode off");
    assertEquals("Automatic context compaction is now `disabled` for this conversation.", f.nextDelivery().text());
    f.send("/compact_mode sometimes");
    assertTrue(f.nextDelivery().text().startsWith("Unknown compaction mode `sometimes`."));
    f.send("/compact");
    assertTrue(f.nextDelivery().text().startsWith("The current conversation context did not need compaction."), "an empty context needs none");
    for (int i = 0; i < 11; i++) {
      f.send(filler(3000, "k" + i));
      assertEquals("ok", f.nextDelivery().text());
    }
    assertTrue(requestTokens(f.chat.requests.get(f.chat.requests.size() - 1)) > THRESHOLD);
    assertTrue(compactions(f).isEmpty(), "automatic compaction is off");
    f.send("/compact");
    assertEquals("Compacting the current conversation context; this may take a moment.", f.nextDelivery().text());
    assertTrue(f.nextDelivery().text().startsWith("Compacted the current conversation context."));
    assertEquals(1, compactions(f).size());
    assertEquals(CompactionReason.MANUAL, compactions(f).get(0).reason());
    f.send("/status");
    String status = f.nextDelivery().text();
    assertTrue(status.contains("\nAutomatic context compaction: disabled, compactions: 1 (last "), status);
    assertTrue(status.contains("\nCurrent context estimate: "), status);
    assertFalse(status.contains("not available"), status);
  }

  @Test
  void switchingToAModelWithASmallerWindowCompactsWithThePreviousModelFirst() {
    EntityFixture f = fixture(MainAgentConfig.defaults());
    for (int i = 0; i < 5; i++) {
      f.send(filler(3000, "s" + i));
      assertEquals("ok", f.nextDelivery().text());
    }
    assertTrue(compactions(f).isEmpty());
    f.send("/agent small");
    assertTrue(f.nextDelivery().text().startsWith("Conversation model updated to `small`. The context (~"));
    assertTrue(f.nextDelivery().text().startsWith("Compacted the current conversation context."));
    assertEquals(CompactionReason.MODEL_SWITCH, compactions(f).get(0).reason());
    assertEquals("gpt-4o", f.chat.summaryRequests.get(0).messages().isEmpty() ? "" : "gpt-4o",
        "summarised by the previous model");
    f.send("go on");
    assertEquals("ok", f.nextDelivery().text());
    ChatRequest after = f.chat.requests.get(f.chat.requests.size() - 1);
    assertTrue(TokenEstimator.forModel("gpt-4o-mini").estimate(after.messages(), after.tools()) < 14_745);
  }

  @Test
  void aQuietConversationIsCompactedBeforeTheProviderCacheExpiresWhenIdleCompactionIsOn() {
    MainAgentConfig idle = new MainAgentConfig(null, null, "/opt", "en", 20, true, null,
        new partyclaw.core.config.IdleCompactionConfig(true, 15, 0.5), true, null, null, null, null, "steer", 500);
    // A 30 s cache lifetime: the idle compaction is due at once after the last turn.
    EntityFixture f = fixture(idle, java.time.Duration.ofSeconds(30));
    // Five exchanges of ~3,500 tokens pass half the window (16,384); four do not.
    for (int i = 0; i < 5; i++) {
      f.send(filler(3500, "i" + i));
      assertEquals("ok", f.nextDelivery().text());
    }
    ConversationState s = f.await("idle compaction", st -> st.context().compactions() == 1 && st.quiet());
    assertEquals(CompactionReason.IDLE, compactions(f).get(0).reason());
    assertEquals(5, s.context().turnsAtLastCompaction());
    assertEquals(1, f.chat.summaryRequests.size(), "no second idle compaction without new turns");
  }

  @Test
  void aSkillInstalledBetweenTurnsIsAnnouncedOnceAndTheDateHintPrefixesUserText() throws Exception {
    MainAgentConfig dated = new MainAgentConfig(null, null, "/opt", "en", 20, true, null, null, true,
        new partyclaw.core.config.TimeAwarenessConfig(true, true), null, null, null, "steer", 500);
    EntityFixture f = fixture(dated);
    f.send("hello");
    f.nextDelivery();
    Path skill = Files.createDirectories(new Workdir(workdir).skillsStore().resolve("release-notes"));
    Files.writeString(skill.resolve("SKILL.md"),
        "---\nname: release-notes\ndescription: Write release notes from git history.\n---\nBody.\n");
    f.send("again");
    f.nextDelivery();
    f.send("third");
    f.nextDelivery();
    List<ChatMessage> second = f.request(1).stream()
        .filter(m -> m.role() == Role.SYSTEM && m.content().startsWith("[Runtime Skill Updates]")).toList();
    assertEquals(1, second.size(), f.request(1).toString());
    assertTrue(second.get(0).content().contains("- release-notes: Write release notes from git history."));
    assertEquals(0, f.request(2).stream()
        .filter(m -> m.role() == Role.SYSTEM && m.content().startsWith("[Runtime Skill Updates]")).count());
    ChatMessage user = f.request(0).get(1);
    assertEquals(Role.USER, user.role());
    assertTrue(user.content().matches("(?s)\\[System Date: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} .*\\] hello"),
        user.content());
  }
}

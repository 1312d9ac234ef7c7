package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.TurnActivity;

class ProgressTextTest {
  private static final List<TurnActivity.ToolLine> TOOLS = List.of(
      new TurnActivity.ToolLine("c1", "exec_start", "npm run build --watch-mode-long", "ok"),
      new TurnActivity.ToolLine("c2", "web_fetch", "https://example.org", "running"),
      new TurnActivity.ToolLine("c3", "file_read", null, "error"));

  @Test
  void englishToolsAndFinalLines() {
    assertEquals("⚙️ Working · model main\n✅ exec_start npm run build --watc…\n⏳ web_fetch https://example.org\n"
        + "❌ file_read", ProgressText.tools("main", TOOLS, List.of()));
    assertEquals("✅ Done | ⏱ 1m5s", ProgressText.finished("completed", Duration.ofSeconds(65)));
    assertEquals("❌ Failed (stopped)", ProgressText.finished("stopped", null));
  }

  @Test
  void chineseTextsAsTheReferenceHasThem() {
    assertEquals("⚙️ 正在执行\n🤖 模型：main\n🔧 状态：工具执行中\n✅ exec_start npm run build --watc…\n"
        + "⏳ web_fetch https://example.org\n❌ file_read\n📋 执行计划：\n✅ read\n▶️ build",
        ProgressText.tools("main", TOOLS, List.of("✅ read", "▶️ build"), true));
    assertEquals("✅ 完成 | ⏱ 12s", ProgressText.finished("completed", Duration.ofSeconds(12), true));
    assertEquals("✅ 完成", ProgressText.finished("completed", null, true));
    assertEquals("❌ 失败：max_rounds | ⏱ 3s", ProgressText.finished("max_rounds", Duration.ofSeconds(3), true));
  }
}

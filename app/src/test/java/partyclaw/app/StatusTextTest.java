package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTextTest {
  @Test
  void theWholeReport() throws Exception {
    String json = """
        {"state":"up","pid":42,"workdir":"/srv/wd","started_at":"2026-12-06T03:00:00Z","uptime_seconds":3725,
         "ready":false,"waiting_for":["channels tg"],
         "channels":[{"id":"tg","kind":"telegram","health":"starting"}],
         "console":{"socket":"/srv/wd/partyclaw.sock","terminals_attached":1},
         "conversations":{"running":3,"with_unfinished_work":1,"busy":1,"busy_ids":["tg:5"],"queued_messages":2,
           "undelivered_replies":1,"undeliverable_replies":0},
         "agents":{"sub_agents_running":1,"sub_agents_max":4,"background_agents_running":0,"background_agents_max":16},
         "tasks":{"exec_processes_running":2,"downloads_running":0,"cron_tasks_enabled":1},
         "journal":{"kind":"leveldb","recovered":true,"path":"/srv/wd/journal","size_bytes":2621440},
         "last_errors":[{"at":"2026-12-06T03:01:00Z","level":"WARN","logger":"x.Y","message":"boom"}]}
        """;
    assertEquals("""
        partyclaw: up, pid 42, uptime 1h 2m 5s (since 2026-12-06T03:00:00Z)
        workdir: /srv/wd
        ready: no, waiting for channels tg
        channels:
          tg (telegram): starting
          console socket /srv/wd/partyclaw.sock: 1 terminal(s) attached
        conversations: 3 running on this node, 1 busy (tg:5), 1 with unfinished work
          queued messages: 2, undelivered replies: 1, undeliverable replies: 0
        agents: sub-agents 1/4 running, background agents 0/16 running
        tasks: 2 exec process(es) running, 0 download(s) running, 1 cron task(s) enabled in running conversations
        journal: leveldb at /srv/wd/journal, 2.5 MiB, recovered
        last errors (oldest first):
          2026-12-06T03:01:00Z WARN x.Y - boom""", StatusText.render(new ObjectMapper().readTree(json)));
  }

  @Test
  void durationsAndSizes() {
    assertEquals("59s", StatusText.duration(59));
    assertEquals("2d 0h 1m", StatusText.duration(2 * 86400 + 61));
    assertEquals("1023 B", StatusText.bytes(1023));
    assertEquals("1.5 KiB", StatusText.bytes(1536));
    assertEquals("size unknown", StatusText.bytes(-1));
  }
}

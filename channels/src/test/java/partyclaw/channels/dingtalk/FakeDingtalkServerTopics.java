package partyclaw.channels.dingtalk;

/** Topics the tests push. */
final class FakeDingtalkServerTopics {
  static final String BOT = StreamFrames.BOT_TOPIC;

  private FakeDingtalkServerTopics() {}
}

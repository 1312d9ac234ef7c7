package partyclaw.core.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One entry of {@code channels}, tagged by {@code kind} as in the file. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CommandLineChannelConfig.class, name = CommandLineChannelConfig.KIND),
    @JsonSubTypes.Type(value = TelegramChannelConfig.class, name = TelegramChannelConfig.KIND),
    @JsonSubTypes.Type(value = DingtalkChannelConfig.class, name = DingtalkChannelConfig.KIND),
    @JsonSubTypes.Type(value = DingtalkRobotChannelConfig.class, name = DingtalkRobotChannelConfig.KIND),
    @JsonSubTypes.Type(value = WebChannelConfig.class, name = WebChannelConfig.KIND)})
public sealed interface ChannelConfig
    permits CommandLineChannelConfig, TelegramChannelConfig, DingtalkChannelConfig, DingtalkRobotChannelConfig,
        WebChannelConfig {

  /** {@code command_line}, {@code telegram}, {@code dingtalk}, {@code dingtalk_robot} or {@code web}. */
  String kind();

  String id();
}

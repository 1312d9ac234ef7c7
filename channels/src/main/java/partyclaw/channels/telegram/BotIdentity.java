package partyclaw.channels.telegram;

/** Who the bot is, from getMe: its user id and username (without {@code @}). */
public record BotIdentity(long id, String username) {}

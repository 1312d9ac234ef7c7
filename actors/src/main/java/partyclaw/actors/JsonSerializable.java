package partyclaw.actors;

/** Marker for every message, event and state persisted or sent between nodes; bound to Jackson JSON in config. */
public interface JsonSerializable {}

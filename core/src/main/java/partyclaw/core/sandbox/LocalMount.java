package partyclaw.core.sandbox;

import java.nio.file.Path;

/** A host folder a conversation mounted with {@code /mount}: bound at the same path inside the sandbox. */
public record LocalMount(Path path, boolean readOnly) {}

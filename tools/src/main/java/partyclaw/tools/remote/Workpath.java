package partyclaw.tools.remote;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A conversation's registered directory on one SSH host (tools.md §4.1): relative remote paths resolve in it. */
public record Workpath(
    @JsonProperty("host") String host,
    @JsonProperty("path") String path,
    @JsonProperty("description") String description,
    @JsonProperty("updated_at") String updatedAt) {}

package partyclaw.core.config;

import java.util.Optional;

/**
 * How one conversation model handles each media family (runtime.md §3.7, tools.md §2 "Helper/native resolution"):
 * natively ({@code *Native}: image_load / pdf_load / audio_load) or through a helper model ({@code *Helper}: the alias
 * that image_start / pdf_query / audio_transcribe ask), or not at all (both false/null). Image generation goes to a
 * helper alias ({@code imageGenHelper}) only when {@code tooling.image_gen} names one other than the model itself.
 */
public record MediaRouting(boolean imageNative, String imageHelper, boolean pdfNative, String pdfHelper,
    boolean audioNative, String audioHelper, String imageGenHelper) {

  public static MediaRouting of(PartyclawConfig cfg, String alias) {
    ModelConfig model = cfg.models().get(alias);
    boolean image = model != null && model.hasCapability(Capability.IMAGE_IN);
    boolean imageNative = false;
    String imageHelper = null;
    Optional<ToolingTarget> imageTarget = target(cfg, "image");
    if (imageTarget.isPresent()) {
      if (imageTarget.get().preferSelf() && image) {
        imageNative = true;
      } else if (cfg.models().containsKey(imageTarget.get().alias())) {
        imageHelper = imageTarget.get().alias();
      }
    } else if (model != null && model.imageToolModel() != null && !model.imageToolModel().isBlank()) {
      if (model.imageToolModel().equals("self")) {
        imageNative = image;
      } else if (cfg.models().containsKey(model.imageToolModel())) {
        imageHelper = model.imageToolModel();
      }
    }
    String[] pdf = family(cfg, "pdf", model != null && model.hasCapability(Capability.PDF));
    String[] audio = family(cfg, "audio_input", model != null && model.hasCapability(Capability.AUDIO_IN));
    String imageGen = null;
    Optional<ToolingTarget> gen = target(cfg, "image_gen");
    if (gen.isPresent() && !(gen.get().preferSelf() && model != null && model.hasCapability(Capability.IMAGE_OUT)
        && model.usesResponsesApi()) && cfg.models().containsKey(gen.get().alias())) {
      imageGen = gen.get().alias();
    }
    return new MediaRouting(imageNative, imageHelper, pdf[0] != null, pdf[1], audio[0] != null, audio[1], imageGen);
  }

  /** {native marker or null, helper alias or null} for pdf / audio: only {@code tooling.<field>} routes them. */
  private static String[] family(PartyclawConfig cfg, String field, boolean capable) {
    Optional<ToolingTarget> t = target(cfg, field);
    if (t.isEmpty()) return new String[] {null, null};
    if (t.get().preferSelf() && capable) return new String[] {"self", null};
    return new String[] {null, cfg.models().containsKey(t.get().alias()) ? t.get().alias() : null};
  }

  private static Optional<ToolingTarget> target(PartyclawConfig cfg, String field) {
    try {
      return cfg.toolingTarget(field);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty(); // the loader already refused malformed targets
    }
  }
}

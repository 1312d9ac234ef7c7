package partyclaw.channels.telegram;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.Multipart;
import akka.http.javadsl.model.Multiparts;
import akka.http.javadsl.model.RequestEntity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The multipart body of an upload: text fields, then the file as a part streamed from disk while the request
 * is sent, so a large file never sits in memory. Blocking (it checks the file): call it on the channel I/O pool.
 */
final class UploadEntity {
  private UploadEntity() {}

  static RequestEntity of(Map<String, String> fields, String fileField, Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.getFileName().toString());
    List<Multipart.FormData.BodyPart> parts = new ArrayList<>();
    fields.forEach((k, v) -> parts.add(Multiparts.createFormDataBodyPartStrict(k,
        HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, v))));
    parts.add(Multiparts.createFormDataPartFromPath(fileField, contentTypeOf(file), file));
    return Multiparts.createFormDataFromParts(parts.toArray(new Multipart.FormData.BodyPart[0])).toEntity();
  }

  /** Several files (e.g. the {@code attach://} photos of sendMediaGroup), each under its own field name. */
  static RequestEntity of(Map<String, String> fields, Map<String, Path> files) throws IOException {
    for (Path file : files.values()) {
      if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.getFileName().toString());
    }
    List<Multipart.FormData.BodyPart> parts = new ArrayList<>();
    fields.forEach((k, v) -> parts.add(Multiparts.createFormDataBodyPartStrict(k,
        HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, v))));
    files.forEach((field, file) -> parts.add(Multiparts.createFormDataPartFromPath(field, contentTypeOf(file), file)));
    return Multiparts.createFormDataFromParts(parts.toArray(new Multipart.FormData.BodyPart[0])).toEntity();
  }

  static ContentType contentTypeOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) return ContentTypes.create(MediaTypes.IMAGE_PNG);
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return ContentTypes.create(MediaTypes.IMAGE_JPEG);
    if (name.endsWith(".gif")) return ContentTypes.create(MediaTypes.IMAGE_GIF);
    if (name.endsWith(".webp")) return ContentTypes.create(MediaTypes.IMAGE_WEBP);
    if (name.endsWith(".pdf")) return ContentTypes.create(MediaTypes.APPLICATION_PDF);
    return ContentTypes.APPLICATION_OCTET_STREAM;
  }
}

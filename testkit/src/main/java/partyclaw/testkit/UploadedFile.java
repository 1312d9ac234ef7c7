package partyclaw.testkit;

/** A file part of a multipart Bot API call, as {@link FakeTelegramServer} received it. */
public record UploadedFile(String field, String fileName, String contentType, byte[] bytes) {}

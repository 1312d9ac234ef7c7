package partyclaw.channels.dingtalk;

/**
 * A DingTalk HTTP call that failed: {@code status} 0 for transport errors and timeouts, else the HTTP status;
 * {@code errcode} the API's error code when it answered one (webhook sends). Messages never hold URLs, tokens or
 * secrets, so they may be logged and shown.
 */
public final class DingtalkHttpException extends RuntimeException {
  private final int status;
  private final Long errcode;

  public DingtalkHttpException(String message, int status, Long errcode) {
    super(message, null, false, false);
    this.status = status;
    this.errcode = errcode;
  }

  public int status() {
    return status;
  }

  public Long errcode() {
    return errcode;
  }

  /** Worth trying again later: no answer, 5xx, 429, or DingTalk's "too fast" / "busy" codes. */
  public boolean isTransient() {
    if (errcode != null) return errcode == 130101L || errcode == -1L || errcode == 88L;
    return status == 0 || status == 429 || status >= 500;
  }
}

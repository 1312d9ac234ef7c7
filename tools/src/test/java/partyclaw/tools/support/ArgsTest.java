package partyclaw.tools.support;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;

class ArgsTest {
  private static JsonNode json(String s) throws Exception {
    return Json.parse(s);
  }

  private static String message(ThrowingRunnable r) {
    return assertThrows(ToolException.class, r::run).getMessage();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void requiredStringMessages() throws Exception {
    assertEquals("missing required argument: file_path", message(() -> Args.requireString(json("{}"), "file_path")));
    assertEquals("missing required argument: file_path",
        message(() -> Args.requireString(json("{\"file_path\":null}"), "file_path")));
    assertEquals("argument file_path must be a string",
        message(() -> Args.requireString(json("{\"file_path\":3}"), "file_path")));
    assertEquals("x", Args.requireString(json("{\"path\":\"x\"}"), "file_path", "path"));
  }

  @Test
  void integersMustBeNonNegativeWholeNumbers() throws Exception {
    assertEquals(5L, Args.optNonNegativeInt(json("{\"n\":5}"), "n", 1));
    assertEquals(1L, Args.optNonNegativeInt(json("{}"), "n", 1));
    String msg = "argument n must be an integer (a non-negative whole number)";
    assertEquals(msg, message(() -> Args.optNonNegativeInt(json("{\"n\":-1}"), "n", 1)));
    assertEquals(msg, message(() -> Args.optNonNegativeInt(json("{\"n\":1.5}"), "n", 1)));
    assertEquals(msg, message(() -> Args.optNonNegativeInt(json("{\"n\":\"3\"}"), "n", 1)));
  }

  @Test
  void hostStyleNonEmptyStringsAreTrimmed() throws Exception {
    assertEquals("hi", Args.requireNonEmpty(json("{\"text\":\"  hi \"}"), "text"));
    assertEquals("text must be a non-empty string", message(() -> Args.requireNonEmpty(json("{\"text\":\"  \"}"), "text")));
  }

  @Test
  void encodingMustBeUtf8() throws Exception {
    assertDoesNotThrow(() -> Args.requireUtf8Encoding(json("{\"encoding\":\"UTF-8\"}")));
    assertEquals("only utf-8 encoding is supported", message(() -> Args.requireUtf8Encoding(json("{\"encoding\":\"latin1\"}"))));
  }
}

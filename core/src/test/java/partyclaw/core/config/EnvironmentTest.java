package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

  @Test
  void realEnvironmentWinsOverCwdDotenvWhichWinsOverConfigDirDotenv(@TempDir Path tmp) throws Exception {
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    Path configDir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(cwd.resolve(".env"), "REAL=from-cwd\nBOTH=from-cwd\nCWD_ONLY=cwd\n");
    Files.writeString(configDir.resolve(".env"), "REAL=from-config\nBOTH=from-config\nCONFIG_ONLY=conf\n");

    Environment env = Environment.load(Map.of("REAL", "real"), cwd, configDir);

    assertEquals(Optional.of("real"), env.get("REAL"));
    assertEquals(Optional.of("from-cwd"), env.get("BOTH"));
    assertEquals(Optional.of("cwd"), env.get("CWD_ONLY"));
    assertEquals(Optional.of("conf"), env.get("CONFIG_ONLY"));
  }

  @Test
  void missingDotenvFilesAreFine(@TempDir Path tmp) {
    Environment env = Environment.load(Map.of("A", "1"), tmp.resolve("none"), null);
    assertEquals(Map.of("A", "1"), env.variables());
  }

  @Test
  void dotenvSyntax() {
    Map<String, String> vars = Dotenv.parse("""
        # a comment

        PLAIN=value
        export EXPORTED=yes
          SPACED = padded value  
        INLINE=abc # trailing comment
        HASH=abc#not-a-comment
        DOUBLE="line1\\nline2 \\"q\\" # kept"
        SINGLE='raw \\n $X # kept'
        EMPTY=
        MULTI="first
        second"
        not an assignment
        1BAD=x
        URL=https://oapi.dingtalk.com/robot/send?access_token=abc=def
        """);
    assertEquals("value", vars.get("PLAIN"));
    assertEquals("yes", vars.get("EXPORTED"));
    assertEquals("padded value", vars.get("SPACED"));
    assertEquals("abc", vars.get("INLINE"));
    assertEquals("abc#not-a-comment", vars.get("HASH"));
    assertEquals("line1\nline2 \"q\" # kept", vars.get("DOUBLE"));
    assertEquals("raw \\n $X # kept", vars.get("SINGLE"));
    assertEquals("", vars.get("EMPTY"));
    assertEquals("first\nsecond", vars.get("MULTI"));
    assertEquals("https://oapi.dingtalk.com/robot/send?access_token=abc=def", vars.get("URL"));
    assertFalse(vars.containsKey("1BAD"));
    assertEquals(10, vars.size());
  }

  @Test
  void resolvePrefersANonBlankLiteralThenTheTrimmedVariable() {
    Environment env = Environment.of(Map.of("KEY", "  from-env \n", "BLANK", "   "));
    assertEquals(Optional.of("lit"), env.resolve(" lit ", "KEY"));
    assertEquals(Optional.of("from-env"), env.resolve("  ", "KEY"));
    assertEquals(Optional.of("from-env"), env.resolve(null, "KEY"));
    assertTrue(env.resolve(null, "BLANK").isEmpty());
    assertTrue(env.resolve(null, "UNSET").isEmpty());
    assertTrue(env.resolve(null, null).isEmpty());
  }

  @Test
  void toStringShowsNoValues() {
    Environment env = Environment.of(Map.of("SECRET", "hunter2-very-secret"));
    assertFalse(env.toString().contains("hunter2"));
    assertFalse(env.toString().contains("SECRET"));
  }
}

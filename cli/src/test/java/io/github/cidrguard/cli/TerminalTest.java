package io.github.cidrguard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command in a real pseudo-terminal (util-linux {@code script}): progress appears whenever stderr is a terminal,
 * even with stdout redirected to a file, and never on a pipe.
 */
class TerminalTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void progressGoesToStderrWhenStderrIsATerminalAndStdoutAFile(@TempDir Path dir) throws Exception {
        assertTrue(new File("/usr/bin/script").canExecute() || new File("/bin/script").canExecute(),
                "this test needs util-linux's script(1) for a pseudo-terminal: apt-get install util-linux");
        Path out = dir.resolve("out.json");
        String command = quote(JAVA) + " -cp " + quote(System.getProperty("java.class.path"))
                + " io.github.cidrguard.cli.Main reach " + quote(Run.scenario("seed.yaml")) + " --format json > "
                + quote(out.toString());
        Path typescript = dir.resolve("typescript");
        Process p = new ProcessBuilder("script", "-qec", command, typescript.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("script.out").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "script did not finish");
        assertEquals(1, p.exitValue(), Files.readString(dir.resolve("script.out")));
        String terminal = Files.readString(typescript, StandardCharsets.UTF_8);
        assertTrue(terminal.contains("cidrguard reach: tracing every address range"), terminal);
        assertEquals(1, CheckCommandTest.JSON.readTree(Files.readString(out)).get("cidrguard").asInt(),
                "the JSON went to the file");
        assertFalse(Files.readString(out).contains("tracing"), "no progress in the output");
    }

    @Test
    void noProgressOnAPipe(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
                "io.github.cidrguard.cli.Main", "reach", Run.scenario("seed.yaml"), "--format", "json"))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertEquals("", Files.readString(dir.resolve("err")));
        assertEquals(1, CheckCommandTest.JSON.readTree(Files.readString(dir.resolve("out"))).get("cidrguard").asInt());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

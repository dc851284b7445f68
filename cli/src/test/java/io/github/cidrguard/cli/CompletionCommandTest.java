package io.github.cidrguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cidrguard completion}: the script is loaded into a real bash and asked to complete real command lines. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void printsAScriptForTheWholeCommandTree(String shell) {
        Run r = Run.of("completion", shell);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F"), r.out());
        for (String sub : List.of("demo", "check", "trace", "reach", "suggest", "flannel", "import", "etcd", "lab",
                "completion")) {
            assertTrue(r.out().contains(sub), "no " + sub + " in the script");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fish", ""})
    void anUnknownShellIsBadInput(String shell) {
        Run r = Run.of("completion", shell);
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("bash, zsh"), r.err());
    }

    /** What bash offers for the words typed so far (the last one is the word being completed). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "cidrguard ch|check",
            "cidrguard sugg|suggest",
            "cidrguard check x.yaml --form|--format",
            "'cidrguard completion '|bash zsh",
            "'cidrguard etcd '|set-network restore",
    })
    void bashCompletesCommandsOptionsAndValues(String line, String expected) throws IOException, InterruptedException {
        Path script = dir.resolve("cidrguard.bash");
        Files.writeString(script, Run.of("completion", "bash").out());
        String[] words = line.endsWith(" ") ? (line + "''").split(" ") : line.split(" ");
        String probe = "source " + script + "\n"
                + "COMP_WORDS=(" + String.join(" ", words) + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "_complete_cidrguard\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // stderr apart: outside a real completion bash says "compopt: not currently executing completion function"
        Process p = new ProcessBuilder("bash", "-c", probe).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "bash did not finish");
        String offered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), offered);
        List<String> got = offered.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String want : expected.split(" ")) {
            assertTrue(got.contains(want), line + " offered " + got + ", not " + want);
        }
    }
}

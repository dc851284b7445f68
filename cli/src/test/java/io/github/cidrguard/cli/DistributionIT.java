package io.github.cidrguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user unpacks it (cli/target/cidrguard-VERSION.zip, unpacked by the build into
 * cli/target/cidrguard-VERSION/): bin/cidrguard runs with nothing but a Java runtime and a few shell tools on PATH
 * (no Maven), from a copy in a fresh directory reached through a symlink, as an install in /opt with a link in
 * /usr/local/bin would be.
 */
class DistributionIT {

    @TempDir
    static Path tmp;
    static Path bin;
    static Path path;

    @BeforeAll
    static void unpackACopy() throws IOException, InterruptedException {
        Path zip;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            zip = s.filter(p -> p.getFileName().toString().matches("cidrguard-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("no cli/target/cidrguard-*.zip: package did not run"));
        }
        Process unzip = new ProcessBuilder("unzip", "-q", zip.toAbsolutePath().toString(),
                "-d", tmp.resolve("opt").toString()).inheritIO().start();
        assertTrue(unzip.waitFor(60, TimeUnit.SECONDS) && unzip.exitValue() == 0, "unzip failed");
        Path home;
        try (Stream<Path> s = Files.list(tmp.resolve("opt"))) {
            home = s.findFirst().orElseThrow();
        }
        assertTrue(Files.isExecutable(home.resolve("bin/cidrguard")), "bin/cidrguard missing or not executable");
        assertTrue(Files.isRegularFile(home.resolve("LICENSE")), "no LICENSE in the zip");
        // PATH: only the shell tools bin/cidrguard uses; no mvn, no java (JAVA_HOME names the runtime)
        path = Files.createDirectories(tmp.resolve("path"));
        for (String tool : List.of("sh", "readlink", "dirname", "ls", "head", "basename", "mkdir", "rm", "find")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(path.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        bin = Files.createDirectories(tmp.resolve("usr-local-bin")).resolve("cidrguard");
        Files.createSymbolicLink(bin, home.resolve("bin/cidrguard"));
    }

    record Result(int code, String out) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(bin.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", path.toString());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/cidrguard did not finish");
        return new Result(p.exitValue(), out);
    }

    @Test
    void checksTheSeedWithoutMaven() throws IOException, InterruptedException {
        Result r = run("check", Run.scenario("seed.yaml"));
        assertEquals(1, r.code(), r.out());                 // the seed has ERROR findings
        assertTrue(r.out().contains("POD_NETWORK_CONTAINS_NODE_IP"), r.out());
        Result again = run("check", Run.scenario("seed.yaml"));   // now with the AppCDS archive of the first run
        assertEquals(r, again);
    }

    @Test
    void carriesTheLabTheVersionAndCompletion() throws IOException, InterruptedException {
        Result version = run("--version");
        assertEquals(0, version.code(), version.out());
        assertTrue(version.out().matches("(?s)cidrguard \\d+\\.\\d+\\.\\d+.*"), version.out());
        Result lab = run("lab", "--help");
        assertEquals(0, lab.code(), lab.out());
        Result completion = run("completion", "bash");
        assertEquals(0, completion.code(), completion.out());
        assertTrue(completion.out().contains("complete -F"), completion.out());
    }

    @Test
    void saysWhatIsMissingWithoutJava() throws IOException, InterruptedException {
        List<String> cmd = List.of(bin.toString(), "--version");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", path.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("no java found; install a Java 17 runtime or set JAVA_HOME"), out);
    }
}

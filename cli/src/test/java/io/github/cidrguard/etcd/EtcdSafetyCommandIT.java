package io.github.cidrguard.etcd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes by cause, escaping, and backups that are never overwritten, through the command and a real etcd. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdSafetyCommandIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final String CONFIG = "{\"Network\": \"10.252.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";
    static final String LEASE = Raw.leaseValue("10.0.0.1", "aa:bb:cc:dd:ee:ff");

    @TempDir
    Path tmp;

    Cli.Result cli(String... args) {
        return Cli.against(ETCD.cluster(), args);
    }

    @BeforeEach
    void seed() {
        try (Raw raw = new Raw(ETCD.cluster())) {
            raw.deletePrefix("/");
            raw.put(Raw.CONFIG, CONFIG);
            raw.put(Raw.SUBNETS + "10.252.1.0-24", LEASE);
        }
    }

    Map<String, String> everything() {
        try (Raw raw = new Raw(ETCD.cluster())) {
            return raw.dump("/");
        }
    }

    @Test
    void aStoredConfigFlanneldRejectsIsBadInputNotAnOutage() {
        try (Raw raw = new Raw(ETCD.cluster())) {
            raw.put(Raw.CONFIG, "{\"Network\": \"10.252.0.0/30\"}");
        }
        Map<String, String> before = everything();
        for (List<String> args : List.of(List.of("etcd", "check"),
                List.of("etcd", "set-network", "10.96.0.0/16", "--backup-dir", tmp.toString()))) {
            Cli.Result r = cli(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.both());
            assertTrue(r.err().contains(Raw.CONFIG), r.both());
            assertTrue(r.err().contains("flanneld rejects"), r.both());
            assertFalse(r.err().contains("internal error"), r.both());
        }
        assertEquals(before, everything(), "nothing written");
    }

    @Test
    void controlCharactersFromEtcdAreEscapedInTextOutput() {
        try (Raw raw = new Raw(ETCD.cluster())) {
            raw.put(Raw.SUBNETS + "10.252.2.0-24\u001b]0;owned\u0007", "{\"PublicIP\":\"10.0.0.2\",\"x\":\"\u001b[2J\"}");
        }
        for (String command : List.of("show", "check")) {
            Cli.Result r = cli("etcd", command);
            assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), command + ": raw escape in "
                    + r.out());
            assertTrue(r.out().contains("10.252.2.0-24\\x1b]0;owned\\x07"), command + ": " + r.out());
        }
        assertTrue(cli("etcd", "show").out().contains("\"x\":\"\\x1b[2J\"}"));
        Cli.Result json = cli("etcd", "show", "--format", "json");
        assertTrue(json.out().contains("\\u001B]0;owned\\u0007") || json.out().contains("\\u001b]0;owned\\u0007"),
                "JSON escapes them its own way: " + json.out());
    }

    @Test
    void backupsAreNeverOverwritten() throws Exception {
        Path taken = tmp.resolve("taken.json");
        Files.writeString(taken, "someone's only copy");
        Map<String, String> before = everything();
        Cli.Result r = cli("etcd", "set-network", "10.96.0.0/16", "--reset-subnets", "--backup", taken.toString());
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().contains("exists already"), r.both());
        assertEquals("someone's only copy", Files.readString(taken));
        assertEquals(before, everything(), "nothing written to etcd either");

        Path dir = Files.createDirectories(tmp.resolve("backups"));
        assertEquals(0, cli("etcd", "set-network", "10.96.0.0/16", "--backup-dir", dir.toString()).code());
        assertEquals(0, cli("etcd", "set-network", "10.97.0.0/16", "--backup-dir", dir.toString()).code());
        try (var files = Files.list(dir)) {
            List<Path> all = files.sorted().toList();
            assertEquals(2, all.size(), all.toString());
            assertTrue(Files.readString(all.get(0)).contains("10.252.0.0/16"), "the first one's state");
        }
    }

    @Test
    void aTamperedBackupIsRefusedAndEtcdKeepsEveryLease() throws Exception {
        Path file = tmp.resolve("b.json");
        assertEquals(0, cli("etcd", "set-network", "10.96.0.0/16", "--reset-subnets", "--backup", file.toString())
                .code());
        try (Raw raw = new Raw(ETCD.cluster())) {
            raw.put(Raw.SUBNETS + "10.96.5.0-24", LEASE);
        }
        Map<String, String> before = everything();
        // a duplicated lease used to end with exit 3 ("duplicate key given in txn request") and every live lease gone
        String dup = Files.readString(file).replace("\"leases\" : [ {", "\"leases\" : [ {\"key\" : \""
                + Raw.SUBNETS + "10.252.1.0-24\", \"value\" : \"{}\", \"modRevision\" : 1, \"leaseId\" : 0, "
                + "\"ttl\" : -1}, {");
        assertFalse(dup.equals(Files.readString(file)), "the tampering took place");
        Path bad = tmp.resolve("dup.json");
        Files.writeString(bad, dup);
        Cli.Result r = cli("etcd", "restore", bad.toString());
        assertEquals(2, r.code(), r.both());
        assertEquals(before, everything(), "nothing written");

        Cli.Result ok = cli("etcd", "restore", file.toString());
        assertEquals(0, ok.code(), ok.both());
        assertTrue(ok.out().contains("1 leases written, 1 deleted, config written"), ok.out());
        assertEquals(Map.of(Raw.CONFIG, CONFIG, Raw.SUBNETS + "10.252.1.0-24", LEASE), everything());
        Cli.Result again = cli("etcd", "restore", file.toString());
        assertTrue(again.out().contains("nothing written"), again.out());
    }
}

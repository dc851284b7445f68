package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup file: written exclusively, read back exactly, and every damaged or tampered file refused. */
class BackupTest {

    static final String PREFIX = "/coreos.com/network";
    static final String CONFIG = "{\"Network\": \"10.252.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Backup sample(long clusterId, long revision) {
        return Backup.of(PREFIX, clusterId, revision, new StoredConfig(PREFIX + "/config", CONFIG, 2, revision),
                List.of(new StoredLease(PREFIX + "/subnets/10.252.61.0-24", "{\"PublicIP\":\"10.252.158.72\"}", 5, 7,
                                86000),
                        new StoredLease(PREFIX + "/subnets/10.252.100.0-24", "{\"PublicIP\":\"10.252.158.71\"}", 6, 0,
                                -1)));
    }

    @Test
    void writesAndReadsBackExactly() {
        Backup b = sample(0xabcdefL, 9);
        Path f = tmp.resolve("b.json");
        b.write(f);
        Backup r = Backup.read(f);
        assertEquals(b.toJson(), r.toJson());
        assertEquals(0xabcdefL, r.clusterId());
        assertEquals(2, r.leases().size());
        assertEquals(86000, r.leases().get(0).ttlSeconds());
    }

    @Test
    void neverOverwritesABackup() throws Exception {
        Path f = tmp.resolve("b.json");
        sample(1, 9).write(f);
        byte[] first = Files.readAllBytes(f);
        EtcdInputException e = assertThrows(EtcdInputException.class, () -> sample(2, 10).write(f));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(f)), "the first backup is untouched");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void defaultNamesOfTwoFreshClustersDiffer() {
        // a fresh etcd's config sits at mod revision 2: the name must not depend on the revision alone
        Backup a = sample(0x1111, 2);
        Backup b = sample(0x2222, 2);
        assertNotEquals(a.defaultFileName(), b.defaultFileName());
        assertTrue(a.defaultFileName().matches("cidrguard-backup-coreos.com-network-1111-r2-\\d{8}T\\d{6}\\.\\d{3}Z"
                + "\\.json"), a.defaultFileName());
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] whole = sample(7, 9).toJson().getBytes(StandardCharsets.UTF_8);
        Path f = tmp.resolve("cut.json");
        int refused = 0;
        // every cut that loses more than the trailing newline
        for (int n = 0; n < whole.length - 1; n++) {
            Files.write(f, java.util.Arrays.copyOf(whole, n));
            int len = n;
            EtcdInputException e = assertThrows(EtcdInputException.class, () -> Backup.read(f),
                    "cut at " + len + " of " + whole.length);
            assertTrue(e.getMessage().startsWith("backup file " + f + " "), e.getMessage());
            refused++;
        }
        assertEquals(whole.length - 1, refused);
    }

    record Case(String name, UnaryOperator<ObjectNode> tamper, boolean resign, String expect) {
    }

    /** Tampering with a valid checksum recomputed: the key checks hold even against someone who re-signs. */
    static final List<Case> TAMPERED = List.of(
            new Case("key outside the prefix", r -> lease(r, 0, "key", "/registry/secrets/kube-system/evil"), true,
                    "outside flannel's lease range /coreos.com/network/subnets*"),
            new Case("lease at the config key", r -> lease(r, 0, "key", PREFIX + "/config"), true,
                    "keyed at the config key"),
            new Case("duplicate lease", r -> lease(r, 1, "key", PREFIX + "/subnets/10.252.61.0-24"), true, "twice"),
            new Case("config elsewhere", r -> {
                ((ObjectNode) r.get("config")).put("key", "/registry/x");
                return r;
            }, true, "has its config at /registry/x"),
            new Case("negative ttl", r -> leaseLong(r, 0, "ttl", -5), true, "the TTL -5"),
            new Case("edited value, old checksum", r -> lease(r, 0, "value", "{\"PublicIP\":\"6.6.6.6\"}"), false,
                    "does not match its \"sha256\" checksum"),
            new Case("checksum removed", r -> {
                r.remove("sha256");
                return r;
            }, false, "has no \"sha256\" checksum"),
            new Case("lease removed, count kept", r -> {
                ((ArrayNode) r.get("leases")).remove(1);
                return r;
            }, true, "says it holds 2 leases but holds 1"),
            new Case("unknown format", r -> r.put("cidrguardBackup", 9), true, "has backup format 9"),
            new Case("not a backup", r -> {
                r.remove("cidrguardBackup");
                return r;
            }, true, "is not a cidrguard backup"),
            new Case("revision a string", r -> r.put("revision", "9"), true, "\"revision\" missing or not an integer"));

    @Test
    void tamperedBackupsAreRefusedNamingTheProblem() throws Exception {
        assertFalse(TAMPERED.isEmpty());
        for (Case c : TAMPERED) {
            ObjectNode root = (ObjectNode) JSON.readTree(sample(3, 9).toJson());
            root = c.tamper.apply(root);
            if (c.resign) {
                resign(root);
            }
            Path f = tmp.resolve(c.name.replace(' ', '-') + ".json");
            Files.writeString(f, JSON.writeValueAsString(root));
            EtcdInputException e = assertThrows(EtcdInputException.class, () -> Backup.read(f), c.name);
            assertTrue(e.getMessage().contains(c.expect), c.name + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), c.name + ": " + e.getMessage());
            assertEquals(f.toString(), e.source());
        }
    }

    @Test
    void damagedBytesAreRefusedWithTheirOffset() throws Exception {
        byte[] good = sample(3, 9).toJson().getBytes(StandardCharsets.UTF_8);
        Path f = tmp.resolve("bom.json");
        byte[] bom = new byte[good.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(good, 0, bom, 3, good.length);
        Files.write(f, bom);
        assertTrue(assertThrows(EtcdInputException.class, () -> Backup.read(f)).getMessage()
                .contains("byte order mark"));

        byte[] bad = good.clone();
        int at = new String(good, StandardCharsets.UTF_8).indexOf("10.252.158.72");
        bad[at] = (byte) 0xc3; // starts a 2-byte sequence, followed by an ASCII byte: malformed
        Files.write(f, bad);
        String m = assertThrows(EtcdInputException.class, () -> Backup.read(f)).getMessage();
        assertTrue(m.contains("not valid UTF-8: byte offset " + at + " (0xc3)"), m);

        Files.writeString(f, "cidrguard was here");
        assertTrue(assertThrows(EtcdInputException.class, () -> Backup.read(f)).getMessage()
                .contains("is not valid JSON at byte offset"));

        m = assertThrows(EtcdInputException.class, () -> Backup.read(tmp)).getMessage();
        assertTrue(m.contains("is a directory"), m);
        m = assertThrows(EtcdInputException.class, () -> Backup.read(tmp.resolve("missing.json"))).getMessage();
        assertTrue(m.contains("cannot be read"), m);
    }

    @Test
    void aFormatOneBackupIsStillRead() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(sample(3, 9).toJson());
        root.put("cidrguardBackup", 1);
        root.remove(List.of("sha256", "leaseCount", "clusterId"));
        Path f = tmp.resolve("v1.json");
        Files.writeString(f, JSON.writeValueAsString(root));
        Backup b = Backup.read(f);
        assertEquals(2, b.leases().size());
        assertEquals(0, b.clusterId());
    }

    @Test
    void movedToAnotherPrefixKeepsTheRestOfEachKey() {
        Backup b = sample(3, 9).movedTo("/kube-flannel/network");
        assertEquals("/kube-flannel/network/config", b.config().orElseThrow().key());
        assertEquals("/kube-flannel/network/subnets/10.252.61.0-24", b.leases().get(0).key());
    }

    private static ObjectNode lease(ObjectNode root, int i, String field, String value) {
        ((ObjectNode) root.get("leases").get(i)).put(field, value);
        return root;
    }

    private static ObjectNode leaseLong(ObjectNode root, int i, String field, long value) {
        ((ObjectNode) root.get("leases").get(i)).put(field, value);
        return root;
    }

    /** The checksum as the format defines it: SHA-256 of the compact JSON of the object without "sha256". */
    static void resign(ObjectNode root) throws Exception {
        root.remove("sha256");
        byte[] canonical = JSON.writeValueAsBytes(root);
        root.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    }
}

package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local bad input of the etcd commands exits 2 with the file and the fix, found before etcd is dialled (the endpoint
 * is dead: an exit 3 would mean the input was blamed on the outside world). The --password warning.
 */
class EtcdInputExitTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A valid format-2 backup, signed as the format says: SHA-256 of the compact JSON without "sha256". */
    static ObjectNode backup(String prefix) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cidrguardBackup", 2);
        root.put("prefix", prefix);
        root.put("clusterId", "abc");
        root.put("revision", 9);
        root.put("takenAt", "2026-12-03T08:00:00Z");
        ObjectNode c = root.putObject("config");
        c.put("key", prefix + "/config");
        c.put("value", "{\"Network\": \"10.252.0.0/16\"}");
        c.put("modRevision", 2);
        ArrayNode a = root.putArray("leases");
        a.addObject().put("key", prefix + "/subnets/10.252.1.0-24").put("value", "{\"PublicIP\":\"10.0.0.1\"}")
                .put("modRevision", 3).put("leaseId", 0).put("ttl", -1);
        root.put("leaseCount", 1);
        return root;
    }

    static String signed(ObjectNode root) throws Exception {
        root.remove("sha256");
        root.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(JSON.writeValueAsBytes(root))));
        return JSON.writeValueAsString(root);
    }

    @Test
    void badBackupsExitTwoNamingTheFileBeforeEtcdIsAsked() throws Exception {
        String good = signed(backup("/coreos.com/network"));
        ObjectNode outside = backup("/coreos.com/network");
        ((ObjectNode) outside.get("leases").get(0)).put("key", "/registry/secrets/kube-system/evil");
        ObjectNode dup = backup("/coreos.com/network");
        ((ArrayNode) dup.get("leases")).add(dup.get("leases").get(0).deepCopy());
        dup.put("leaseCount", 2);
        byte[] badUtf8 = good.getBytes(StandardCharsets.UTF_8);
        int at = good.indexOf("10.0.0.1");
        badUtf8[at] = (byte) 0xff;
        byte[] bom = ("\uFEFF" + good).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("truncated", good.substring(0, good.length() - 20));
        cases.put("bom", bom);
        cases.put("wrong-prefix", signed(backup("/other/network")));
        cases.put("wrong-format", "{\"etcdctl\": \"snapshot\"}");
        cases.put("outside-prefix", signed(outside));
        cases.put("duplicate", signed(dup));
        cases.put("invalid-utf8", badUtf8);
        cases.put("directory", null);
        Map<String, String> expect = Map.of("truncated", "is truncated", "bom", "byte order mark",
                "wrong-prefix", "is for prefix /other/network but the target prefix is /coreos.com/network; give "
                        + "--prefix /other/network",
                "wrong-format", "is not a cidrguard backup", "outside-prefix", "outside flannel's lease range",
                "duplicate", "twice", "invalid-utf8", "not valid UTF-8: byte offset " + at,
                "directory", "is a directory");
        assertEquals(expect.keySet(), cases.keySet());
        String dead = EtcdCommandTest.deadEndpoint();
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            Path f = tmp.resolve(c.getKey() + ".json");
            if (c.getValue() == null) {
                Files.createDirectories(f);
            } else if (c.getValue() instanceof byte[] b) {
                Files.write(f, b);
            } else {
                Files.writeString(f, (String) c.getValue());
            }
            Run r = Run.of("etcd", "restore", f.toString(), "--endpoints", dead, "--timeout", "1");
            assertEquals(2, r.code(), c.getKey() + ": " + r.err());
            assertTrue(r.err().contains(f.toString()), c.getKey() + ": " + r.err());
            assertTrue(r.err().contains(expect.get(c.getKey())), c.getKey() + ": " + r.err());
            assertFalse(r.err().contains("unreachable") || r.err().contains("internal error"), r.err());
        }
        // the good file gets as far as etcd, which is down: that is the outside world
        Path f = tmp.resolve("good.json");
        Files.writeString(f, good);
        assertEquals(3, Run.of("etcd", "restore", f.toString(), "--endpoints", dead, "--timeout", "1").code());
    }

    @Test
    void tlsFilesThatAreNotPemExitTwoNamingThem() throws Exception {
        Path notPem = tmp.resolve("ca.txt");
        Files.writeString(notPem, "this is not a certificate\n");
        String https = EtcdCommandTest.deadEndpoint().replace("http:", "https:");
        for (List<String> flags : List.of(List.of("--cacert", notPem.toString()),
                List.of("--cacert", notPem.toString(), "--cert", notPem.toString(), "--key", notPem.toString()))) {
            List<String> args = new java.util.ArrayList<>(List.of("etcd", "show", "--endpoints", https,
                    "--timeout", "1"));
            args.addAll(flags);
            Run r = Run.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), flags + ": " + r.err());
            assertTrue(r.err().contains("not PEM: " + notPem), r.err());
            assertTrue(r.err().contains("Nothing was sent to etcd"), r.err());
        }
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAbout() throws Exception {
        String dead = EtcdCommandTest.deadEndpoint();
        Run r = Run.withEnv("", Map.of(), "etcd", "show", "--user", "flannel", "--password", "s3cret",
                "--endpoints", dead, "--timeout", "1");
        assertTrue(r.err().startsWith("cidrguard etcd show: warning: --password on the command line is visible"), r.err());
        assertTrue(r.err().contains("CIDRGUARD_ETCD_PASSWORD"), r.err());
        assertFalse(r.err().contains("s3cret"), "the warning never repeats the password: " + r.err());
        r = Run.withEnv("", Map.of("CIDRGUARD_ETCD_PASSWORD", "s3cret"), "etcd", "show", "--user", "flannel",
                "--endpoints", dead, "--timeout", "1");
        assertFalse(r.err().contains("warning"), "the environment is the recommended way: " + r.err());
    }
}

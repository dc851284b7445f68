package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.flannel.LeaseAttrs;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Read, plan, apply, conflict, backup/restore and watch against one real etcd. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlannelEtcdIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final String SEED = "{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";
    static final String LEASE_71 = Raw.leaseValue("10.252.158.71", "c6:d2:32:6f:8f:44");
    static final String LEASE_72 = Raw.leaseValue("10.252.158.72", "d2:11:9a:00:3c:01");

    static Raw raw;
    static FlannelEtcd etcd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        raw = new Raw(ETCD.cluster());
        raw.put(Raw.CONFIG, SEED);
        etcd = FlannelEtcd.open(ETCD.cluster().settings().build());
    }

    @AfterAll
    static void close() {
        etcd.close();
        raw.close();
    }

    /** The seed story's state: the config with host bits, two nodes' leases with flannel's 24 h TTL. */
    @BeforeEach
    void seed() {
        raw.deletePrefix(Raw.PREFIX + "/");
        raw.put(Raw.CONFIG, SEED);
        raw.putWithTtl(Raw.SUBNETS + "10.252.100.0-24", LEASE_71, 86400);
        raw.putWithTtl(Raw.SUBNETS + "10.252.61.0-24", LEASE_72, 86400);
    }

    @Test
    void readsTheConfigWithItsModRevision() {
        StoredConfig c = etcd.readConfig();
        assertEquals(SEED, c.value());
        assertEquals(Raw.CONFIG, c.key());
        assertEquals(raw.modRevision(Raw.CONFIG), c.modRevision());
        assertTrue(c.revision() >= c.modRevision());
        assertEquals(Cidr.parse("10.252.0.0/16"), c.flannelConfig().network().orElseThrow(), "flannel masks host bits");

        raw.put(Raw.CONFIG, "{\"Network\":\"10.252.0.0/29\"}");
        StoredConfigInvalidException e = assertThrows(StoredConfigInvalidException.class,
                () -> etcd.readConfig().flannelConfig());
        assertTrue(e.getMessage().contains("network is too small"), e.getMessage());
        assertTrue(e.getMessage().contains(Raw.CONFIG), e.getMessage());
        assertThrows(StoredConfigInvalidException.class, () -> etcd.planNetwork(Cidr.parse("10.96.0.0/16"), true));
    }

    @Test
    void aMissingConfigIsATypedErrorNamingTheKey() {
        raw.deletePrefix(Raw.CONFIG);
        StoredConfigInvalidException e = assertThrows(StoredConfigInvalidException.class, etcd::readConfig);
        assertTrue(e.getMessage().contains(Raw.CONFIG), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        assertTrue(etcd.findConfig().isEmpty());
    }

    @Test
    void readsFlannelFormatLeasesByteForByteWithTtl() {
        List<StoredLease> leases = etcd.leases();
        assertEquals(2, leases.size());
        assertEquals(Raw.SUBNETS + "10.252.100.0-24", leases.get(0).key());
        assertEquals(LEASE_71, leases.get(0).value());
        assertEquals("10.252.61.0-24", leases.get(1).name());
        assertEquals(LEASE_72, leases.get(1).value());
        // ours are flannel's bytes: decoding and re-encoding with core's LeaseAttrs gives the stored value back
        LeaseAttrs ours = LeaseAttrs.of(IpAddress.parse("10.252.158.71")).withBackendType("vxlan")
                .withBackendData("{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}", null);
        assertEquals(LEASE_71, ours.toJson());
        for (StoredLease l : leases) {
            assertEquals(l.value(), l.attrs().orElseThrow().toJson());
            assertTrue(l.subnetKey().isPresent());
            assertTrue(l.leaseId() != 0);
            assertTrue(l.ttlSeconds() > 86000 && l.ttlSeconds() <= 86400, l.toString());
        }
    }

    @Test
    void pagesThroughMoreLeasesThanOnePageAtOneRevision() {
        raw.deletePrefix(Raw.SUBNETS);
        Map<String, String> many = new LinkedHashMap<>();
        int page = 100;
        int n = page * 2 + 23;
        for (int i = 0; i < n; i++) {
            many.put(Raw.SUBNETS + "10." + (i >> 8) + "." + (i & 255) + ".0-24",
                    Raw.leaseValue("192.168." + (i >> 8) + "." + (i & 255), "00:00:00:00:00:01"));
        }
        raw.putAll(many);
        raw.put(Raw.PREFIX + "/subnetsX", "not under subnets/");
        List<StoredLease> leases;
        try (FlannelEtcd small = FlannelEtcd.open(ETCD.cluster().settings().build(), FlannelRules.INSTANCE, page)) {
            leases = small.leases();
            assertEquals(n, small.audit(SEED).size());
        }
        assertEquals(n, leases.size());
        List<String> keys = new ArrayList<>(many.keySet());
        keys.sort(null);
        assertEquals(keys, leases.stream().map(StoredLease::key).toList());
        for (StoredLease l : leases) {
            assertEquals(many.get(l.key()), l.value());
            assertEquals(-1, l.ttlSeconds());
        }
    }

    @Test
    void planOntoTheSeedFindsNodeIpsInsideTheNetworkAndApplyRefusesIt(@TempDir Path dir) {
        RewritePlan plan = etcd.planNetwork(Cidr.parse("10.252.0.0/16"), false);
        assertTrue(plan.hasErrors(), plan.toString());
        assertTrue(plan.findings().stream().anyMatch(f -> f.code() == FindingCode.POD_NETWORK_CONTAINS_NODE_IP));
        long before = raw.modRevision(Raw.CONFIG);
        assertThrows(PlanRefusedException.class, () -> etcd.apply(plan, dir.resolve("b.json")));
        assertEquals(before, raw.modRevision(Raw.CONFIG));
        assertFalse(Files.exists(dir.resolve("b.json")));
    }

    /** The story's fix, done safely: new clean Network and every lease gone, in one revision. */
    @Test
    void migrationRewritesTheConfigAndDeletesEveryLeaseInOneRevision() throws Exception {
        RewritePlan plan = etcd.planNetwork(Cidr.parse("10.96.0.0/16"), true);
        assertFalse(plan.hasErrors(), plan.toString());
        assertEquals("{\"Network\":\"10.96.0.0/16\",\"Backend\":{\"Type\": \"vxlan\"}}", plan.newConfig());
        assertEquals(2, plan.incompatibleLeases().size(), plan.toString());
        assertEquals(2, plan.leaseCount());
        assertTrue(plan.operations().get(0).contains("mod_revision(\"" + Raw.CONFIG + "\") = "
                + raw.modRevision(Raw.CONFIG)));

        Path backupFile = tmp.resolve("before.json");
        ApplyResult r = etcd.apply(plan, backupFile);
        assertEquals(2, r.subnetsDeleted());
        assertEquals(r.revision(), raw.modRevision(Raw.CONFIG));
        Map<String, String> after = raw.dumpAt(Raw.PREFIX + "/", r.revision());
        assertEquals(Map.of(Raw.CONFIG, plan.newConfig()), after);
        Map<String, String> justBefore = raw.dumpAt(Raw.PREFIX + "/", r.revision() - 1);
        assertEquals(SEED, justBefore.get(Raw.CONFIG));
        assertEquals(3, justBefore.size());
        // the written JSON has no escaped slash (flanneld does not decode escapes inside addresses)
        assertFalse(raw.dump(Raw.CONFIG).get(Raw.CONFIG).contains("\\/"));

        Backup b = Backup.read(backupFile);
        assertEquals(SEED, b.config().orElseThrow().value());
        assertEquals(2, b.leases().size());
    }

    /**
     * flanneld lists {@code <prefix>/subnets} without the slash and parses keys from their end, so a hand-made copy
     * under {@code subnets-old/} is a lease to it: read, audited, deleted by a reset (after the backup), restored.
     */
    @Test
    void aStrayCopyOutsideSubnetsIsALeaseToFlanneldAndToUs() {
        String stray = Raw.PREFIX + "/subnets-old/10.252.100.0-24";
        String notes = Raw.PREFIX + "/subnetsX/notes";
        raw.put(stray, LEASE_71);
        raw.put(notes, "not a lease");
        Map<String, String> before = raw.dump(Raw.PREFIX + "/");

        List<String> keys = etcd.leases().stream().map(StoredLease::key).toList();
        assertEquals(List.of(stray, Raw.SUBNETS + "10.252.100.0-24", Raw.SUBNETS + "10.252.61.0-24"), keys);
        LeaseAudit a = etcd.audit(SEED).stream().filter(x -> x.lease().key().equals(stray)).findFirst().orElseThrow();
        assertTrue(a.reason().contains("lies outside " + Raw.SUBNETS + " but flanneld reads it as a lease"),
                a.reason());

        RewritePlan plan = etcd.planNetwork(Cidr.parse("10.96.0.0/16"), true);
        assertEquals(List.of(stray), plan.strayLeaseKeys());
        assertTrue(plan.operations().stream().anyMatch(o -> o.startsWith("  del " + stray + " ")),
                plan.operations().toString());
        Path file = tmp.resolve("stray.json");
        ApplyResult r = etcd.apply(plan, file);
        assertEquals(3, r.subnetsDeleted());
        assertEquals(Map.of(Raw.CONFIG, plan.newConfig(), notes, "not a lease"), raw.dump(Raw.PREFIX + "/"),
                "the reset leaves no key flanneld would read as a lease, and nothing else is touched");
        assertTrue(Backup.read(file).leases().stream().anyMatch(l -> l.key().equals(stray)));

        etcd.restore(file);
        assertEquals(before, raw.dump(Raw.PREFIX + "/"));
    }

    /** flanneld --etcd-prefix=/ keeps its config at /config and its leases under /subnets/. */
    @Test
    void theRootPrefixWorksAsFlanneldUsesIt() {
        raw.put("/config", "{\"Network\": \"10.96.0.0/16\"}");
        raw.put("/subnets/10.96.3.0-24", LEASE_71);
        try (FlannelEtcd root = FlannelEtcd.open(ETCD.cluster().settings().prefix("/").build())) {
            assertEquals("/config", root.readConfig().key());
            assertEquals(List.of("/subnets/10.96.3.0-24"), root.leases().stream().map(StoredLease::key).toList());
            ApplyResult r = root.apply(root.planNetwork(Cidr.parse("10.97.0.0/16"), true), tmp.resolve("root.json"));
            assertEquals(1, r.subnetsDeleted());
            assertTrue(raw.dump("/config").get("/config").contains("10.97.0.0/16"));
            assertEquals(3, raw.dump(Raw.PREFIX + "/").size(), "the default prefix is untouched");
        } finally {
            raw.deletePrefix("/config");
            raw.deletePrefix("/subnets");
        }
    }

    @Test
    void aWriteBetweenPlanAndApplyIsAConflictCarryingTheCurrentValue() {
        RewritePlan plan = etcd.planNetwork(Cidr.parse("10.96.0.0/16"), true);
        String theirs = "{\"Network\":\"10.99.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
        raw.put(Raw.CONFIG, theirs);
        EtcdConflictException e = assertThrows(EtcdConflictException.class,
                () -> etcd.apply(plan, tmp.resolve("b.json")));
        assertEquals(theirs, e.current().orElseThrow().value());
        assertEquals(raw.modRevision(Raw.CONFIG), e.current().get().modRevision());
        assertTrue(e.getMessage().contains(Raw.CONFIG), e.getMessage());
        assertEquals(2, raw.dump(Raw.SUBNETS).size(), "nothing deleted");
        assertEquals(theirs, raw.dump(Raw.CONFIG).get(Raw.CONFIG));
    }

    @Test
    void aStaleCompareAndSetLosesWithTheCurrentValue() {
        StoredConfig c = etcd.readConfig();
        String first = "{\"Network\":\"10.96.0.0/16\"}";
        long rev = etcd.compareAndSet(first, c.modRevision());
        assertEquals(raw.modRevision(Raw.CONFIG), rev);
        EtcdConflictException e = assertThrows(EtcdConflictException.class,
                () -> etcd.compareAndSet("{\"Network\":\"10.97.0.0/16\"}", c.modRevision()));
        assertEquals(first, e.current().orElseThrow().value());
        assertEquals(c.modRevision(), e.expectedModRevision());
        assertThrows(StoredConfigInvalidException.class, () -> etcd.compareAndSet("{not json", rev));
    }

    @Test
    void backupThenRestoreGivesBackTheExactKeysAndValues() {
        raw.put(Raw.SUBNETS + "10.252.7.0-24", Raw.leaseValue("10.252.158.99", "aa:bb:cc:dd:ee:ff"));
        Map<String, String> before = raw.dump(Raw.PREFIX + "/");
        Path file = tmp.resolve("backup.json");
        ApplyResult applied = etcd.apply(etcd.planNetwork(Cidr.parse("10.96.0.0/16"), true), file);
        assertEquals(3, applied.subnetsDeleted());
        assertEquals(1, raw.dump(Raw.PREFIX + "/").size());

        RestoreResult restored = etcd.restore(file);
        assertEquals(before, raw.dump(Raw.PREFIX + "/"));
        assertEquals(restored.revision(), raw.modRevision(Raw.CONFIG));
        List<StoredLease> leases = etcd.leases();
        assertEquals(-1, leases.stream().filter(l -> l.name().equals("10.252.7.0-24")).findFirst().orElseThrow()
                .ttlSeconds(), "a key without TTL stays without");
        assertTrue(leases.stream().filter(l -> l.ttlSeconds() > 86000).count() == 2, leases.toString());
    }

    @Test
    void restoreRefusesABackupOfAnotherPrefix() {
        Path file = tmp.resolve("b.json");
        etcd.backup(file);
        EtcdSettings other = ETCD.cluster().settings().prefix("/other/network").build();
        try (FlannelEtcd o = FlannelEtcd.open(other)) {
            // bad local input, not etcd failing: nothing is written to /other/network
            EtcdInputException e = assertThrows(EtcdInputException.class, () -> o.restore(file));
            assertTrue(e.getMessage().contains("/coreos.com/network"), e.getMessage());
            assertTrue(e.getMessage().contains("--to-prefix"), e.getMessage());
        }
    }

    @Test
    void auditSaysWhatFlanneldWouldDoWithEachLease() {
        raw.put(Raw.SUBNETS + "10.252.7.0-25", Raw.leaseValue("10.252.158.73", "aa:bb:cc:dd:ee:01"));
        raw.put(Raw.SUBNETS + "garbage", "{}");
        raw.put(Raw.SUBNETS + "10.252.8.0-24", "{\"PublicIP\":\"fd00::1\"}");
        Map<String, LeaseAudit.Fate> fates = new LinkedHashMap<>();
        for (LeaseAudit a : etcd.audit("{\"Network\":\"10.252.0.0/16\",\"SubnetMin\":\"10.252.50.0\"}")) {
            fates.put(a.lease().name(), a.fate());
        }
        assertEquals(Map.of(
                "10.252.100.0-24", LeaseAudit.Fate.KEEP,
                "10.252.61.0-24", LeaseAudit.Fate.KEEP,
                "10.252.7.0-25", LeaseAudit.Fate.DELETE_AND_RELEASE,
                "garbage", LeaseAudit.Fate.IGNORED,
                "10.252.8.0-24", LeaseAudit.Fate.IGNORED), fates);
        // below SubnetMin: flanneld deletes it and takes a new subnet
        LeaseAudit low = etcd.audit("{\"Network\":\"10.252.0.0/16\",\"SubnetMin\":\"10.252.80.0\"}").stream()
                .filter(a -> a.lease().name().equals("10.252.61.0-24")).findFirst().orElseThrow();
        assertEquals(LeaseAudit.Fate.DELETE_AND_RELEASE, low.fate());
        assertTrue(low.reason().contains("SubnetMin 10.252.80.0"), low.reason());
        assertThrows(StoredConfigInvalidException.class, () -> etcd.audit("{\"Network\":\"10.0.0.0/29\"}"));
    }

    @Test
    void aScenarioAddsWhatTheLeasesCannotKnow() {
        // the clean range of the story, 172.17.0.0/16, is Docker's default bridge on a node that runs Docker
        Scenario cluster = Scenario.builder("seed").node(Node.of("node-71", "10.252.158.71").withDocker(true))
                .node(Node.of("node-72", "10.252.158.72")).build();
        RewritePlan plan = etcd.planNetwork(Cidr.parse("172.17.0.0/16"), true, cluster);
        assertTrue(plan.findings().stream().anyMatch(f -> f.code() == FindingCode.DOCKER_BRIDGE_OVERLAP),
                plan.toString());
        assertFalse(etcd.planNetwork(Cidr.parse("172.17.0.0/16"), true).findings().stream()
                .anyMatch(f -> f.code() == FindingCode.DOCKER_BRIDGE_OVERLAP));
        RewritePlan invalid = etcd.plan("{\"Network\":\"10.0.0.0/33\"}", false);
        assertTrue(invalid.hasErrors());
        assertThrows(StoredConfigInvalidException.class, () -> etcd.apply(invalid.force(), tmp.resolve("x.json")));
        assertEquals(SEED, etcd.readConfig().value());
        assertTrue(invalid.findings().stream().anyMatch(f -> f.code() == FindingCode.FLANNEL_CONFIG_INVALID
                && f.message().contains("10.0.0.0/33")), invalid.toString());
    }

    @Test
    void watchDeliversEachChangeRevalidated() throws Exception {
        BlockingQueue<ConfigChange> q = new LinkedBlockingQueue<>();
        AutoCloseable w = etcd.watch(q::add);
        try {
            ConfigChange first = q.poll(5, TimeUnit.SECONDS);
            assertEquals(SEED, first.config().orElseThrow().value());
            assertTrue(first.hasErrors(), "the seed has node IPs inside its Network: " + first.findings());

            raw.put(Raw.CONFIG, "{\"Network\":\"10.96.0.0/16\"}");
            ConfigChange clean = q.poll(5, TimeUnit.SECONDS);
            assertEquals("{\"Network\":\"10.96.0.0/16\"}", clean.config().orElseThrow().value());
            assertEquals(raw.modRevision(Raw.CONFIG), clean.revision());
            assertFalse(clean.hasErrors(), clean.findings().toString());

            raw.put(Raw.CONFIG, "{oops");
            ConfigChange broken = q.poll(5, TimeUnit.SECONDS);
            assertTrue(broken.findings().stream().anyMatch(f -> f.code() == FindingCode.FLANNEL_CONFIG_INVALID));

            raw.deletePrefix(Raw.CONFIG);
            ConfigChange gone = q.poll(5, TimeUnit.SECONDS);
            assertTrue(gone.config().isEmpty());
            assertTrue(gone.hasErrors());
        } finally {
            w.close();
        }
        raw.put(Raw.CONFIG, SEED);
        assertEquals(null, q.poll(300, TimeUnit.MILLISECONDS), "a closed watch still delivers");
    }
}

package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Severity;
import io.github.cidrguard.flannel.FlannelPaths;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import io.github.cidrguard.kube.SubnetManager;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.cidrguard.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flannel's state in etcd (v3 API), read and rewritten safely: the network config with its mod revision, every
 * subnet lease with its TTL, plans for a new config, guarded atomic applies with a backup first, restores, and a
 * watch that re-validates each change.
 *
 * <p>Every method talks to etcd and ends within the settings' call deadline (long listings: within one deadline per
 * page) with a result or an {@link EtcdException} subclass; nothing waits forever. Thread-safe; close it when done.
 */
public final class FlannelEtcd implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlannelEtcd.class);

    /** Keys per range request: ~250-byte leases keep a page near 1 MiB, well below gRPC's 4 MiB message limit. */
    static final int PAGE = 5000;
    /** TTL lookups in flight at once. */
    private static final int TTL_WINDOW = 256;
    /** etcd refuses transactions with more than 128 operations (--max-txn-ops); restore batches stay below it. */
    private static final int RESTORE_BATCH = 100;

    private final EtcdSettings settings;
    private final Connection conn;
    private final ConfigRules rules;
    private final int pageSize;

    private FlannelEtcd(EtcdSettings settings, ConfigRules rules, int pageSize) {
        this.settings = settings;
        this.rules = rules;
        this.pageSize = pageSize;
        this.conn = new Connection(settings);
    }

    /**
     * Connects and checks that the config key can be read, so that a wrong endpoint, TLS setup, password or
     * permission fails here and not in the middle of a rewrite. The probe has the call deadline; setting up the client
     * beforehand needs no network and is not counted.
     *
     * @param settings where and how
     * @return an open adapter
     * @throws EtcdException (a subclass naming the cause) when the probe fails
     */
    public static FlannelEtcd open(EtcdSettings settings) {
        return open(settings, FlannelRules.INSTANCE, PAGE);
    }

    /** With another page size: lets tests page through a few hundred keys instead of writing 10 000. */
    static FlannelEtcd open(EtcdSettings settings, ConfigRules rules, int pageSize) {
        Objects.requireNonNull(settings, "settings");
        FlannelEtcd etcd = new FlannelEtcd(settings, rules, pageSize);
        try {
            etcd.findConfig();
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    /** @return the settings it was opened with */
    public EtcdSettings settings() {
        return settings;
    }

    private KV kv() {
        return conn.client().getKVClient();
    }

    private ByteSequence configKey() {
        return Connection.bytes(settings.configKey());
    }

    // ------------------------------------------------------------------------------------------------- reading

    /**
     * @return the config as stored, with its mod revision; empty when the key does not exist
     * @throws EtcdException when etcd cannot be read
     */
    public Optional<StoredConfig> findConfig() {
        return findConfig(conn.deadline());
    }

    private Optional<StoredConfig> findConfig(long deadline) {
        return toConfig(getConfig(deadline));
    }

    private GetResponse getConfig(long deadline) {
        return conn.call("get " + settings.configKey(), deadline, () -> kv().get(configKey()));
    }

    private Optional<StoredConfig> toConfig(GetResponse r) {
        if (r.getKvs().isEmpty()) {
            return Optional.empty();
        }
        KeyValue kv = r.getKvs().get(0);
        return Optional.of(new StoredConfig(settings.configKey(), string(kv.getValue()), kv.getModRevision(),
                r.getHeader().getRevision()));
    }

    /**
     * @return the config as stored, with its mod revision
     * @throws StoredConfigInvalidException when the key does not exist (flanneld's "flannel config not found")
     * @throws EtcdException when etcd cannot be read
     */
    public StoredConfig readConfig() {
        return readConfig(conn.deadline());
    }

    private StoredConfig readConfig(long deadline) {
        return findConfig(deadline).orElseThrow(() -> new StoredConfigInvalidException(settings.configKey(), null,
                "flannel config not found in etcd store: key " + settings.configKey() + " does not exist at "
                        + settings.endpointList() + ". Write one with plan(...)/apply(...) or etcdctl put (v3 API;"
                        + " keys written with the v2 API are invisible to flanneld), or check the prefix "
                        + settings.prefix() + ".", null));
    }

    /**
     * Every key under {@code <prefix>/subnets/}, in key order, with value and remaining TTL, read at one revision
     * (paged, so any count works). Also every key flanneld reads as a lease although it lies beside that directory
     * (e.g. {@code <prefix>/subnets-old/10.244.1.0-24}: see {@link RewritePlan#strayLeaseKeys()}).
     *
     * <p>Cost: etcd has no bulk TTL read, so this makes one LeaseTimeToLive request per distinct etcd lease, and
     * flanneld gives every key its own (measured on etcd 3.4, 2 shared cores: ~0.45 ms each, 8 192 leases in 3.6 s).
     * {@link #audit(String)} needs no TTLs and reads 65 536 leases about as fast as {@code etcdctl get --prefix}.
     *
     * @return the leases
     * @throws EtcdException when etcd cannot be read
     */
    public List<StoredLease> leases() {
        long deadline = conn.deadline();
        Listing l = readLeases(0, deadline);
        return withTtls(l.leases, l.deadline);
    }

    /** One consistent read: the listing and the revision it is at. */
    record Listing(long revision, List<StoredLease> leases, long deadline) {
    }

    /**
     * Pages through {@code subnets/} at a fixed revision (the first page's, or {@code atRevision} when positive):
     * each next page starts right after the last key seen, so keys written meanwhile neither appear nor shift pages.
     * Each page that arrives earns a fresh deadline: a long listing is progress, not a hang.
     */
    Listing readLeases(long atRevision, long deadline) {
        return readLeases(atRevision, deadline, page -> { });
    }

    /**
     * As {@link #readLeases(long, long)}, handing each page to {@code sink} while the next page is already on its way
     * (the next start key is known as soon as a page arrives, so fetching and processing overlap).
     */
    Listing readLeases(long atRevision, long deadline, Consumer<List<StoredLease>> sink) {
        String what = "get --prefix " + leaseRange();
        ByteSequence from = Connection.bytes(leaseRange());
        GetResponse r = conn.call(what, deadline, () -> kv().get(from, page(atRevision)));
        long revision = atRevision > 0 ? atRevision : r.getHeader().getRevision();
        List<StoredLease> out = new ArrayList<>();
        while (true) {
            boolean more = r.isMore() && !r.getKvs().isEmpty();
            ByteSequence next = null;
            CompletableFuture<GetResponse> prefetch = null;
            if (more) {
                byte[] last = r.getKvs().get(r.getKvs().size() - 1).getKey().getBytes();
                next = ByteSequence.from(Arrays.copyOf(last, last.length + 1));
                prefetch = kv().get(next, page(revision));
            }
            List<StoredLease> page = new ArrayList<>(r.getKvs().size());
            for (KeyValue kv : r.getKvs()) {
                String key = string(kv.getKey());
                if (key.startsWith(settings.subnetsPrefix()) || isStrayLease(key)) {
                    page.add(new StoredLease(key, string(kv.getValue()), kv.getModRevision(), kv.getLease(), -1));
                }
            }
            out.addAll(page);
            sink.accept(page);
            if (!more) {
                return new Listing(revision, out, deadline);
            }
            deadline = Math.max(deadline, conn.deadline());
            ByteSequence start = next;
            long rev = revision;
            CompletableFuture<GetResponse> first = prefetch;
            AtomicBoolean prefetched = new AtomicBoolean(true);
            r = conn.call(what, deadline, () -> prefetched.getAndSet(false) ? first : kv().get(start, page(rev)));
        }
    }

    /**
     * The prefix flanneld lists leases with: {@code path.Join(prefix, "subnets")}, no trailing slash. It also covers
     * siblings such as {@code <prefix>/subnets-old/10.244.1.0-24}, and since flannel's key parser is unanchored at the
     * start, flanneld takes those for leases too (flannel v0.28.9 pkg/subnet/etcd/registry.go, getSubnets).
     */
    private String leaseRange() {
        return FlannelPaths.subnetsKey(settings.prefix());
    }

    /** A key outside {@code subnets/} that flanneld nevertheless reads as a lease (see {@link #leaseRange()}). */
    private boolean isStrayLease(String key) {
        if (key.startsWith(settings.subnetsPrefix())) {
            return false;
        }
        try {
            SubnetKey.parse(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private List<String> strayKeys(List<StoredLease> leases) {
        return leases.stream().map(StoredLease::key).filter(this::isStrayLease).toList();
    }

    /** Adds to flanneld's verdict on a stray key why it counts at all, and what a reset does with it. */
    private LeaseAudit noteStray(LeaseAudit a) {
        if (!isStrayLease(a.lease().key())) {
            return a;
        }
        return new LeaseAudit(a.lease(), a.fate(), a.reason() + "; note: " + a.lease().key() + " lies outside "
                + settings.subnetsPrefix() + " but flanneld reads it as a lease (it lists " + leaseRange()
                + " without the slash); move it out of " + leaseRange() + "* if it is a copy (a subnet reset deletes"
                + " it, after the backup)");
    }

    /**
     * One page of {@code subnets/} from a start key. No sort options: etcd returns ranges in key order anyway, and an
     * explicit sort makes etcd 3.4 read the whole range for every page before truncating it.
     */
    private GetOption page(long revision) {
        GetOption.Builder opt = GetOption.builder().withRange(prefixEnd(leaseRange())).withLimit(pageSize);
        if (revision > 0) {
            opt.withRevision(revision);
        }
        return opt.build();
    }

    /** Asks etcd for the remaining TTL of each distinct lease ID, a bounded window of requests at a time. */
    List<StoredLease> withTtls(List<StoredLease> leases, long deadline) {
        List<Long> ids = leases.stream().map(StoredLease::leaseId).filter(id -> id != 0).distinct().toList();
        Map<Long, Long> ttl = new HashMap<>();
        for (int i = 0; i < ids.size(); i += TTL_WINDOW) {
            List<Long> window = ids.subList(i, Math.min(ids.size(), i + TTL_WINDOW));
            if (i > 0) {
                deadline = Math.max(deadline, conn.deadline());
            }
            List<CompletableFuture<LeaseTimeToLiveResponse>> fs = new ArrayList<>(window.size());
            for (long id : window) {
                fs.add(conn.client().getLeaseClient().timeToLive(id, LeaseOption.DEFAULT));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
            conn.call("lease timetolive (" + window.size() + " leases under " + settings.subnetsPrefix() + ")",
                    deadline, () -> all);
            for (int j = 0; j < window.size(); j++) {
                ttl.put(window.get(j), fs.get(j).join().getTTL());
            }
        }
        List<StoredLease> out = new ArrayList<>(leases.size());
        for (StoredLease l : leases) {
            long t = l.leaseId() == 0 ? -1 : ttl.getOrDefault(l.leaseId(), -1L);
            out.add(new StoredLease(l.key(), l.value(), l.modRevision(), l.leaseId(), t));
        }
        return out;
    }

    /**
     * What flanneld would do with each stored lease under a config.
     *
     * @param configJson a config flanneld accepts (e.g. {@link #readConfig()}{@code .value()} or a planned one)
     * @return one verdict per key under {@code subnets/}, in key order
     * @throws StoredConfigInvalidException when flanneld would reject the config
     * @throws EtcdException when etcd cannot be read
     */
    public List<LeaseAudit> audit(String configJson) {
        rules.requireValid(settings.configKey(), configJson);
        Function<StoredLease, LeaseAudit> judge = rules.auditor(configJson).andThen(this::noteStray);
        List<LeaseAudit> out = new ArrayList<>();
        readLeases(0, conn.deadline(), page -> page.forEach(l -> out.add(judge.apply(l))));
        return out;
    }

    /**
     * Reads the config and every lease (with TTLs) at one revision: what {@link #apply} saves before writing.
     *
     * @return the backup, not yet written anywhere
     * @throws EtcdException when etcd cannot be read
     */
    public Backup snapshot() {
        return snapshot(conn.deadline());
    }

    private Backup snapshot(long deadline) {
        GetResponse r = getConfig(deadline);
        Optional<StoredConfig> config = toConfig(r);
        Listing l = readLeases(r.getHeader().getRevision(), deadline);
        return Backup.of(settings.prefix(), l.revision(), config.orElse(null), withTtls(l.leases(), l.deadline()));
    }

    /**
     * Writes a {@link #snapshot()} to a file (atomically: temp file, then rename).
     *
     * @param file where
     * @return the backup written
     * @throws EtcdException when etcd cannot be read or the file cannot be written
     */
    public Backup backup(Path file) {
        Backup b = snapshot();
        b.write(file);
        return b;
    }

    // ------------------------------------------------------------------------------------------------ planning

    /**
     * Plans replacing only the Network of the stored config (other fields, unknown ones included, stay).
     *
     * @param network the new pod network
     * @param resetSubnets also delete every lease under {@code subnets/} in the same transaction
     * @return the plan; nothing is written
     * @throws StoredConfigInvalidException when no config is stored
     * @throws EtcdException when etcd cannot be read
     */
    public RewritePlan planNetwork(Cidr network, boolean resetSubnets) {
        return planNetwork(network, resetSubnets, null);
    }

    /**
     * Plans replacing only the Network of the stored config, checked against a cluster model.
     *
     * @param network the new pod network
     * @param resetSubnets also delete every lease under {@code subnets/} in the same transaction
     * @param scenario the cluster (nodes, LANs, services, declared networks); its flannel config and leases are
     *     replaced by the planned config and what etcd holds. Null: the lease owners are the nodes.
     * @return the plan; nothing is written
     * @throws StoredConfigInvalidException when no config is stored, or flanneld rejects the stored one
     * @throws IllegalArgumentException when the network does not fit the config's explicit fields
     * @throws ScenarioException when the scenario is in kube mode (flanneld keeps nothing in etcd), before etcd is read
     * @throws EtcdException when etcd cannot be read
     */
    public RewritePlan planNetwork(Cidr network, boolean resetSubnets, Scenario scenario) {
        Objects.requireNonNull(network, "network");
        requireEtcdMode(scenario);
        long deadline = conn.deadline();
        StoredConfig current = readConfig(deadline);
        return plan(current, rules.withNetwork(settings.configKey(), current.value(), network), resetSubnets,
                scenario, deadline);
    }

    /**
     * Plans writing a whole new config (also onto an etcd with none yet).
     *
     * @param newConfigJson the config JSON to store, verbatim
     * @param resetSubnets also delete every lease under {@code subnets/} in the same transaction
     * @return the plan; nothing is written
     * @throws EtcdException when etcd cannot be read
     */
    public RewritePlan plan(String newConfigJson, boolean resetSubnets) {
        return plan(newConfigJson, resetSubnets, null);
    }

    /**
     * Plans writing a whole new config, checked against a cluster model.
     *
     * @param newConfigJson the config JSON to store, verbatim
     * @param resetSubnets also delete every lease under {@code subnets/} in the same transaction
     * @param scenario the cluster (nodes, LANs, services, declared networks); its flannel config and leases are
     *     replaced by the planned config and what etcd holds. Null: the lease owners are the nodes.
     * @return the plan; nothing is written. A config flanneld rejects gives a {@code FLANNEL_CONFIG_INVALID} finding.
     * @throws ScenarioException when the scenario is in kube mode (flanneld keeps nothing in etcd), before etcd is read
     * @throws EtcdException when etcd cannot be read
     */
    public RewritePlan plan(String newConfigJson, boolean resetSubnets, Scenario scenario) {
        Objects.requireNonNull(newConfigJson, "newConfigJson");
        requireEtcdMode(scenario);
        long deadline = conn.deadline();
        return plan(findConfig(deadline).orElse(null), newConfigJson, resetSubnets, scenario, deadline);
    }

    /**
     * A scenario in kube mode (flanneld --kube-subnet-mgr) has no config or leases in etcd: checking or planning
     * etcd against it would judge the wrong store. Refused before etcd is read.
     */
    static void requireEtcdMode(Scenario scenario) {
        if (scenario != null && scenario.subnetManager() == SubnetManager.KUBE) {
            throw new ScenarioException(scenario.name(), 0, "the scenario is in kube mode (flannel.subnetManager:"
                    + " kube: flanneld runs with --kube-subnet-mgr), so flannel keeps no config or leases in etcd;"
                    + " change net-conf.json in the kube-flannel-cfg ConfigMap (k3s: --cluster-cidr) instead and"
                    + " check it with cidrguard check, or set flannel.subnetManager: etcd if flanneld really uses"
                    + " etcd", null);
        }
    }

    private RewritePlan plan(StoredConfig current, String newConfig, boolean resetSubnets, Scenario scenario,
            long deadline) {
        List<StoredLease> leases = readLeases(0, deadline).leases();
        List<Finding> findings = rules.check(newConfig, leases, !resetSubnets, scenario);
        boolean invalid = findings.stream().anyMatch(f -> f.code() == FindingCode.FLANNEL_CONFIG_INVALID);
        List<LeaseAudit> incompatible = invalid ? List.of()
                : leases.stream().map(rules.auditor(newConfig).andThen(this::noteStray))
                        .filter(a -> a.fate() == LeaseAudit.Fate.DELETE_AND_RELEASE).toList();
        return RewritePlan.of(settings, current, newConfig, resetSubnets, findings, incompatible, leases.size(),
                strayKeys(leases));
    }

    // ------------------------------------------------------------------------------------------------- writing

    /**
     * Applies a plan: first writes a backup of everything under the prefix to {@code backupFile}, then, in one
     * transaction guarded by the config's mod revision, puts the new config and (if planned) deletes every key under
     * {@code subnets/}. All or nothing.
     *
     * @param plan from {@link #plan} or {@link #planNetwork}, forced if it has ERROR findings
     * @param backupFile where the backup goes (written atomically before anything changes)
     * @return the transaction's revision and the number of leases deleted
     * @throws PlanRefusedException when the plan has ERROR findings and is not forced
     * @throws StoredConfigInvalidException when flanneld would reject the new config (even when forced)
     * @throws EtcdConflictException when the config changed since the plan was made (nothing written)
     * @throws EtcdException when etcd fails or the backup cannot be written (nothing written)
     */
    public ApplyResult apply(RewritePlan plan, Path backupFile) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(backupFile, "backupFile");
        if (!plan.configKey().equals(settings.configKey())) {
            throw new IllegalArgumentException("plan is for " + plan.configKey() + " but this adapter works on "
                    + settings.configKey() + "; plan with the same prefix");
        }
        if (plan.hasErrors() && !plan.forced()) {
            throw new PlanRefusedException("refusing to write " + settings.configKey() + ": the new config has ERROR"
                    + " findings " + plan.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                            .map(Finding::code).distinct().toList()
                    + ". Fix the config, or apply plan.force() if you accept them.");
        }
        // Forcing accepts findings, never a config flanneld cannot start with.
        rules.requireValid(settings.configKey(), plan.newConfig());
        long deadline = conn.deadline();
        Backup backup = snapshot(deadline);
        long found = backup.config().map(StoredConfig::modRevision).orElse(0L);
        if (found != plan.expectedModRevision()) {
            throw new EtcdConflictException(settings.configKey(), plan.expectedModRevision(),
                    backup.config().orElse(null));
        }
        backup.write(backupFile);
        LOG.info("backup of {} at revision {} ({} leases) written to {}", settings.prefix(), backup.revision(),
                backup.leases().size(), backupFile);
        // the stray keys as the backup found them, not as planned: the backup is what restore puts back
        ApplyResult r = swap(plan.expectedModRevision(), plan.newConfig(), plan.resetSubnets(),
                strayKeys(backup.leases()), backupFile,
                backup.leases().size() > pageSize ? Math.max(deadline, conn.deadline()) : deadline);
        LOG.info("wrote {} at revision {}{}", settings.configKey(), r.revision(),
                plan.resetSubnets() ? " and deleted " + r.subnetsDeleted() + " leases" : "");
        return r;
    }

    /**
     * Compare-and-swap of the config alone: writes {@code newConfigJson} if the config's mod revision is still
     * {@code expectedModRevision} (0: if the key is absent). No backup, no findings: the primitive under
     * {@link #apply}.
     *
     * @param newConfigJson the value to store, verbatim
     * @param expectedModRevision the mod revision read before
     * @return the new mod revision
     * @throws EtcdConflictException when the config changed meanwhile (carries the current value)
     * @throws StoredConfigInvalidException when flanneld would reject {@code newConfigJson}
     * @throws EtcdException when etcd fails
     */
    public long compareAndSet(String newConfigJson, long expectedModRevision) {
        Objects.requireNonNull(newConfigJson, "newConfigJson");
        rules.requireValid(settings.configKey(), newConfigJson);
        return swap(expectedModRevision, newConfigJson, false, List.of(), null, conn.deadline()).revision();
    }

    /**
     * The guarded transaction. With {@code reset} it deletes {@code subnets/} and, one by one, the stray keys flanneld
     * would still read as leases (they are in the backup).
     */
    private ApplyResult swap(long expected, String value, boolean reset, List<String> stray, Path backupFile,
            long deadline) {
        ByteSequence key = configKey();
        ByteSequence val = Connection.bytes(value);
        AtomicInteger attempts = new AtomicInteger();
        String what = "txn put " + settings.configKey() + (reset ? " + del --prefix " + settings.subnetsPrefix()
                + (stray.isEmpty() ? "" : " + del " + String.join(" ", stray)) : "");
        TxnResponse r = conn.call(what, deadline, () -> {
            attempts.incrementAndGet();
            List<Op> ops = new ArrayList<>(2 + stray.size());
            ops.add(Op.put(key, val, PutOption.DEFAULT));
            if (reset) {
                ops.add(Op.delete(Connection.bytes(settings.subnetsPrefix()),
                        DeleteOption.builder().isPrefix(true).build()));
                for (String k : stray) {
                    ops.add(Op.delete(Connection.bytes(k), DeleteOption.DEFAULT));
                }
            }
            return kv().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
                    .Then(ops.toArray(Op[]::new))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit();
        });
        if (r.isSucceeded()) {
            long deleted = reset ? r.getDeleteResponses().stream().mapToLong(d -> d.getDeleted()).sum() : 0;
            return new ApplyResult(r.getHeader().getRevision(), deleted, backupFile);
        }
        GetResponse now = r.getGetResponses().get(0);
        Optional<StoredConfig> current = toConfig(now);
        if (attempts.get() > 1 && current.isPresent() && current.get().value().equals(value)) {
            // An earlier attempt whose answer was lost (leader change) committed: the guard now fails against our own
            // write. The transaction is atomic, so its delete happened with it.
            LOG.info("{}: an earlier attempt had committed at revision {}", what, current.get().modRevision());
            return new ApplyResult(current.get().modRevision(), reset ? -1 : 0, backupFile);
        }
        throw new EtcdConflictException(settings.configKey(), expected, current.orElse(null));
    }

    /**
     * Puts a backup back: in one transaction guarded by the config's current mod revision, the backed-up config is
     * written (or deleted, if it had none) and every key under {@code subnets/} is deleted; then the backed-up leases
     * are put back with their remaining TTLs, in transactions of at most 100 keys, each guarded by the restored
     * config being unchanged (so a concurrent rewrite stops the restore with a conflict instead of mixing states).
     *
     * @param file a file written by {@link #apply} or {@link #backup}
     * @return the config transaction's revision; {@code subnetsDeleted} counts the keys it deleted
     * @throws EtcdConflictException when the config changed during the restore
     * @throws EtcdException when the file is unreadable, is for another prefix, or etcd fails
     */
    public ApplyResult restore(Path file) {
        Backup b = Backup.read(file);
        if (!b.prefix().equals(settings.prefix())) {
            throw new EtcdException("backup file " + file + " is for prefix " + b.prefix() + " but this adapter works on "
                    + settings.prefix() + "; open it with prefix(\"" + b.prefix() + "\")");
        }
        long deadline = conn.deadline();
        StoredConfig current = findConfig(deadline).orElse(null);
        long expected = current == null ? 0 : current.modRevision();
        ByteSequence key = configKey();
        String what = "restore: txn put " + settings.configKey() + " + del --prefix " + settings.subnetsPrefix();
        AtomicInteger attempts = new AtomicInteger();
        TxnResponse r = conn.call(what, deadline, () -> {
            attempts.incrementAndGet();
            Op write = b.config().isPresent()
                    ? Op.put(key, Connection.bytes(b.config().get().value()), PutOption.DEFAULT)
                    : Op.delete(key, DeleteOption.DEFAULT);
            return kv().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
                    .Then(write, Op.delete(Connection.bytes(settings.subnetsPrefix()),
                            DeleteOption.builder().isPrefix(true).build()))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit();
        });
        long revision;
        long deleted;
        if (r.isSucceeded()) {
            revision = r.getHeader().getRevision();
            deleted = r.getDeleteResponses().get(r.getDeleteResponses().size() - 1).getDeleted();
        } else {
            Optional<StoredConfig> now = toConfig(r.getGetResponses().get(0));
            boolean ours = attempts.get() > 1 && now.map(StoredConfig::value).equals(b.config().map(StoredConfig::value));
            if (!ours) {
                throw new EtcdConflictException(settings.configKey(), expected, now.orElse(null));
            }
            revision = now.map(StoredConfig::modRevision).orElse(r.getHeader().getRevision());
            deleted = -1;
        }
        // The config's mod revision right after our write; a deleted config has none, so guard on absence instead.
        long guard = b.config().isPresent() ? revision : 0;
        putLeases(b.leases(), guard);
        LOG.info("restored {} from {} (revision {}, {} leases)", settings.prefix(), file, revision, b.leases().size());
        return new ApplyResult(revision, deleted, file);
    }

    private void putLeases(List<StoredLease> leases, long guard) {
        ByteSequence key = configKey();
        Map<Long, Long> grantedByTtl = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i += RESTORE_BATCH) {
            List<StoredLease> batch = leases.subList(i, Math.min(leases.size(), i + RESTORE_BATCH));
            List<Op> ops = new ArrayList<>(batch.size());
            for (StoredLease l : batch) {
                PutOption opt = PutOption.DEFAULT;
                if (l.ttlSeconds() >= 0) {
                    // Keys expiring at the same second share one etcd lease: one grant per distinct TTL.
                    long ttl = Math.max(1, l.ttlSeconds());
                    Long id = grantedByTtl.get(ttl);
                    if (id == null) {
                        id = conn.call("lease grant " + ttl, conn.deadline(),
                                () -> conn.client().getLeaseClient().grant(ttl)).getID();
                        grantedByTtl.put(ttl, id);
                    }
                    opt = PutOption.builder().withLeaseId(id).build();
                }
                ops.add(Op.put(Connection.bytes(l.key()), Connection.bytes(l.value()), opt));
            }
            String what = "restore: txn put " + batch.size() + " keys under " + settings.subnetsPrefix();
            TxnResponse r = conn.call(what, conn.deadline(), () -> kv().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(guard)))
                    .Then(ops.toArray(Op[]::new))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit());
            if (!r.isSucceeded()) {
                throw new EtcdConflictException(settings.configKey(), guard,
                        toConfig(r.getGetResponses().get(0)).orElse(null));
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- watching

    /**
     * Watches the config: the listener first gets the current state, then every change, each with its findings
     * against the leases stored at that moment.
     *
     * <p>The watch survives what etcd recovers from within the call deadline (a member going away while another
     * answers, an election): it resumes from the next revision, nothing is missed. When etcd stays unreachable (or
     * refuses the client) for a whole call deadline, or answers nothing to a small read a few times per deadline (it
     * hangs), or refuses the watch for good (a compacted revision), the listener gets {@link ConfigListener#onError}
     * once and the watch stops.
     *
     * @param listener receives the changes
     * @return a handle; close it to stop watching
     * @throws EtcdException when the first read fails
     */
    public AutoCloseable watch(ConfigListener listener) {
        Objects.requireNonNull(listener, "listener");
        GetResponse r = getConfig(conn.deadline());
        long rev = r.getHeader().getRevision();
        deliver(listener, new ConfigChange(rev, toConfig(r), findings(toConfig(r))));
        return new ConfigWatch(conn, configKey(), "watch " + settings.configKey(), rev + 1, listener, e -> {
            KeyValue kv = e.getKeyValue();
            Optional<StoredConfig> c = e.getEventType() == WatchEvent.EventType.PUT
                    ? Optional.of(new StoredConfig(settings.configKey(), string(kv.getValue()), kv.getModRevision(),
                            kv.getModRevision()))
                    : Optional.empty();
            return new ConfigChange(kv.getModRevision(), c, findings(c));
            // Serializable: any live member answers from its own store, so an election (no leader for a moment)
            // is not mistaken for a hang; a frozen or gone etcd still answers nothing.
        }, () -> kv().get(configKey(), GetOption.builder().withCountOnly(true).withSerializable(true).build()));
    }

    private List<Finding> findings(Optional<StoredConfig> c) {
        if (c.isEmpty()) {
            return List.of(new Finding(FindingCode.FLANNEL_CONFIG_INVALID, Severity.ERROR,
                    List.of("etcd " + settings.configKey()), Optional.empty(),
                    "flannel config not found in etcd store: flanneld cannot start (or restart) without it.",
                    "write a config at " + settings.configKey() + " with the v3 API, or restore a backup"));
        }
        List<StoredLease> leases;
        try {
            leases = readLeases(0, conn.deadline()).leases();
        } catch (EtcdException e) {
            LOG.warn("cannot read leases to check the config against: {}", e.getMessage());
            leases = List.of();
        }
        return rules.check(c.get().value(), leases, true, null);
    }

    private static void deliver(ConfigListener listener, ConfigChange change) {
        try {
            listener.onChange(change);
        } catch (RuntimeException e) {
            LOG.warn("config listener failed: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The smallest key after every key starting with {@code prefix} (etcd's prefix range end). */
    static ByteSequence prefixEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = java.util.Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ByteSequence.from(new byte[] {0});
    }

    /** Closes the client; open watches stop. */
    @Override
    public void close() {
        conn.close();
    }

    @Override
    public String toString() {
        return "FlannelEtcd{" + settings + "}";
    }
}

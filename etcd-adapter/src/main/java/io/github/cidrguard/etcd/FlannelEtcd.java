package io.github.cidrguard.etcd;

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
import io.github.cidrguard.TerminalText;
import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Severity;
import io.github.cidrguard.flannel.FlannelPaths;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /**
     * Keys per write transaction. etcd refuses a transaction with more than --max-txn-ops (128 by default) compares,
     * or success or failure operations (etcd server/etcdserver/api/v3rpc/key.go, checkTxnReq); a batch guards each
     * key by its own compare, so compares and operations both stay at most {@code BATCH + 1}.
     */
    static final int BATCH = 100;

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
        return Backup.of(settings.prefix(), r.getHeader().getClusterId(), l.revision(), config.orElse(null),
                withTtls(l.leases(), l.deadline()));
    }

    /**
     * Writes a {@link #snapshot()} to a new file (see {@link Backup#write(Path)}: never over an existing one).
     *
     * @param file where; must not exist
     * @return the backup written
     * @throws EtcdInputException when {@code file} exists already
     * @throws EtcdException when etcd cannot be read or the file cannot be written
     */
    public Backup backup(Path file) {
        Backup b = snapshot();
        b.write(file);
        return b;
    }

    /**
     * Writes a {@link #snapshot()} into a directory under its {@link Backup#defaultFileName() unique name}.
     *
     * @param directory where
     * @return the file written
     * @throws EtcdException when etcd cannot be read or the file cannot be written
     */
    public Path backupInto(Path directory) {
        Backup b = snapshot();
        Path file = directory.resolve(b.defaultFileName());
        b.write(file);
        return file;
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

    /** Where a test may act (kill etcd, freeze it) just before a write transaction is sent. */
    interface Hook {
        /**
         * @param step {@code apply}, {@code reset} (a later batch of a subnet reset), {@code restore-put},
         *     {@code restore-delete} or {@code restore-config}
         * @param batch the batch's number within its step, from 0
         */
        void before(String step, int batch);
    }

    /** Tests only: called before every write transaction. */
    volatile Hook hook = (step, batch) -> { };

    /**
     * Applies a plan: first writes a backup of everything under the prefix to {@code backupFile}, then puts the new
     * config, guarded by its mod revision, and (if planned) deletes exactly the backed-up leases, each guarded by its
     * backed-up mod revision. With at most 100 leases (or no reset) that is one transaction: all or
     * nothing. With more, the config and the first 100 leases go in the first transaction and the rest in
     * as many transactions as etcd's operation limit needs. A lease written after the backup (a new one, or a
     * renewal) is never deleted: nothing the backup does not hold is lost. See docs/etcd-safety.md for the argument.
     *
     * @param plan from {@link #plan} or {@link #planNetwork}, forced if it has ERROR findings
     * @param backupFile where the backup goes (a new file, written and synced before anything changes)
     * @return the first transaction's revision, the number of leases deleted, those kept because they changed
     * @throws PlanRefusedException when the plan has ERROR findings and is not forced
     * @throws StoredConfigInvalidException when flanneld would reject the new config (even when forced)
     * @throws EtcdConflictException when the config changed since the plan was made (nothing written)
     * @throws EtcdInputException when {@code backupFile} exists already (nothing written)
     * @throws EtcdOutcomeUnknownException when a write got no answer: it may or may not have been applied (the
     *     message says how to find out)
     * @throws EtcdException when etcd fails or the backup cannot be written
     */
    public ApplyResult apply(RewritePlan plan, Path backupFile) {
        Objects.requireNonNull(backupFile, "backupFile");
        return apply(plan, b -> backupFile);
    }

    /**
     * As {@link #apply(RewritePlan, Path)}, the backup going into {@code directory} under its
     * {@link Backup#defaultFileName() unique name} (cluster ID, revision, time).
     *
     * @param plan the plan
     * @param directory where the backup goes
     * @return as {@link #apply(RewritePlan, Path)}
     * @throws EtcdException as {@link #apply(RewritePlan, Path)}
     */
    public ApplyResult applyWithBackupIn(RewritePlan plan, Path directory) {
        Objects.requireNonNull(directory, "directory");
        return apply(plan, b -> directory.resolve(b.defaultFileName()));
    }

    private ApplyResult apply(RewritePlan plan, Function<Backup, Path> backupFile) {
        Objects.requireNonNull(plan, "plan");
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
        Path file = backupFile.apply(backup);
        backup.write(file);
        LOG.info("backup of {} at revision {} ({} leases) written to {}", settings.prefix(), backup.revision(),
                backup.leases().size(), file);
        // the leases as the backup holds them, not as planned: the backup is what restore puts back
        ApplyResult r = swap(plan.expectedModRevision(), plan.newConfig(), plan.resetSubnets() ? backup.leases()
                : List.of(), file, backup.leases().size() > pageSize ? Math.max(deadline, conn.deadline())
                        : deadline);
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
     * @throws EtcdOutcomeUnknownException when the write got no answer and may or may not have been applied
     * @throws EtcdException when etcd fails
     */
    public long compareAndSet(String newConfigJson, long expectedModRevision) {
        Objects.requireNonNull(newConfigJson, "newConfigJson");
        rules.requireValid(settings.configKey(), newConfigJson);
        return swap(expectedModRevision, newConfigJson, List.of(), null, conn.deadline()).revision();
    }

    /**
     * The guarded writes: the config (guarded by {@code expected}) with the first batch of {@code delete}, then the
     * other batches, each key guarded by the mod revision it had in the backup.
     */
    private ApplyResult swap(long expected, String value, List<StoredLease> delete, Path backupFile, long deadline) {
        ByteSequence key = configKey();
        ByteSequence val = Connection.bytes(value);
        List<List<StoredLease>> batches = new ArrayList<>();
        for (int i = 0; i < delete.size(); i += BATCH) {
            batches.add(new ArrayList<>(delete.subList(i, Math.min(delete.size(), i + BATCH))));
        }
        List<String> kept = new ArrayList<>();
        long deleted = 0;
        List<StoredLease> batch0 = batches.isEmpty() ? new ArrayList<>() : batches.get(0);
        String what = "txn put " + settings.configKey() + (delete.isEmpty() ? "" : " + del " + batch0.size()
                + " backed-up leases" + (batches.size() > 1 ? " (batch 1 of " + batches.size() + ")" : ""));
        String check = "Check with `cidrguard etcd show` (same --endpoints and --prefix): if " + settings.configKey()
                + " holds the new config at a mod revision above " + expected + ", it was applied"
                + (delete.isEmpty() ? "" : " together with the deletion of the first " + batch0.size()
                        + " backed-up leases")
                + "; if it still shows mod revision " + expected + ", it was not applied yet: wait one deadline and"
                + " look again before running the command again."
                + (backupFile == null ? "" : " Either way nothing is lost: " + backupFile + " holds the state before.");
        long revision = -1;
        for (int round = 0; revision < 0; round++) {
            AtomicInteger attempts = new AtomicInteger();
            List<StoredLease> b0 = batch0;
            hook.before("apply", round);
            TxnResponse r = conn.write(what, deadline, () -> {
                attempts.incrementAndGet();
                List<Cmp> cmps = new ArrayList<>(1 + b0.size());
                List<Op> ops = new ArrayList<>(1 + b0.size());
                cmps.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)));
                ops.add(Op.put(key, val, PutOption.DEFAULT));
                for (StoredLease l : b0) {
                    cmps.add(new Cmp(Connection.bytes(l.key()), Cmp.Op.EQUAL, CmpTarget.modRevision(l.modRevision())));
                    ops.add(Op.delete(Connection.bytes(l.key()), DeleteOption.DEFAULT));
                }
                return kv().txn().If(cmps.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new))
                        .Else(Op.get(key, GetOption.DEFAULT)).commit();
            }, check);
            if (r.isSucceeded()) {
                revision = r.getHeader().getRevision();
                deleted += r.getDeleteResponses().stream().mapToLong(d -> d.getDeleted()).sum();
                break;
            }
            Optional<StoredConfig> current = toConfig(r.getGetResponses().get(0));
            long now = current.map(StoredConfig::modRevision).orElse(0L);
            if (now != expected) {
                if (attempts.get() > 1 && current.isPresent() && current.get().value().equals(value)) {
                    // An earlier attempt whose answer was lost (leader change) committed: the guard now fails
                    // against our own write. The transaction is atomic, so its deletes happened with it.
                    LOG.info("{}: an earlier attempt had committed at revision {}", what, now);
                    revision = now;
                    deleted = -1;
                    break;
                }
                throw new EtcdConflictException(settings.configKey(), expected, current.orElse(null));
            }
            // The config is as planned, so a lease guard failed: a lease was renewed or deleted since the backup.
            batch0 = refresh(batch0, kept, deadline);
            if (round > 20) {
                throw new EtcdConflictException(settings.configKey(), expected, current.orElse(null));
            }
        }
        for (int i = 1; i < batches.size(); i++) {
            try {
                hook.before("reset", i);
                deleted = deleted < 0 ? -1 : deleted + deleteGuarded(batches.get(i), kept, i, batches.size());
            } catch (EtcdOutcomeUnknownException e) {
                throw new EtcdOutcomeUnknownException(e.getMessage() + " " + resetPartial(value, revision, i,
                        batches.size(), backupFile), e);
            } catch (EtcdUnreachableException e) {
                throw new EtcdUnreachableException(e.getMessage() + " " + resetPartial(value, revision, i,
                        batches.size(), backupFile), e);
            }
        }
        if (!kept.isEmpty()) {
            LOG.warn("kept {} leases that changed after the backup (not deleted, the backup does not hold their"
                    + " current value): {}", kept.size(), kept.size() > 20 ? kept.subList(0, 20) + "…" : kept);
        }
        return new ApplyResult(revision, deleted, backupFile, kept);
    }

    private String resetPartial(String value, long revision, int batch, int batches, Path backupFile) {
        return "The new config was written at revision " + revision + "; the subnet reset is partial: " + batch
                + " of " + batches + " batches of backed-up leases were deleted, the others are still in etcd"
                + (backupFile == null ? "" : " (and all of them in " + backupFile + ")") + ". Nothing is lost. Finish"
                + " it by running the same set-network with --reset-subnets again once etcd answers (it backs up"
                + " first), or leave them: flanneld deletes and re-leases a lease outside the new Network when it"
                + " restarts.";
    }

    /**
     * Deletes one batch of backed-up keys, each guarded by its backed-up mod revision; a key that changed since is
     * left alone (added to {@code kept}) and the rest tried again.
     *
     * @return how many keys were deleted
     */
    private long deleteGuarded(List<StoredLease> batch, List<String> kept, int index, int of) {
        List<StoredLease> todo = batch;
        for (int round = 0; !todo.isEmpty(); round++) {
            long deadline = conn.deadline();
            List<StoredLease> b = todo;
            String what = "txn del " + b.size() + " backed-up leases under " + leaseRange() + " (batch " + (index + 1)
                    + " of " + of + ")";
            TxnResponse r = conn.write(what, deadline, () -> {
                Cmp[] cmps = b.stream().map(l -> new Cmp(Connection.bytes(l.key()), Cmp.Op.EQUAL,
                        CmpTarget.modRevision(l.modRevision()))).toArray(Cmp[]::new);
                Op[] ops = b.stream().map(l -> Op.delete(Connection.bytes(l.key()), DeleteOption.DEFAULT))
                        .toArray(Op[]::new);
                return kv().txn().If(cmps).Then(ops).commit();
            }, "Deleting exactly these backed-up keys twice is harmless: run the same command again once etcd"
                    + " answers.");
            if (r.isSucceeded()) {
                return r.getDeleteResponses().stream().mapToLong(d -> d.getDeleted()).sum();
            }
            todo = refresh(b, kept, deadline);
            if (round > 20) {
                throw new EtcdConflictException(settings.configKey(), 0, null);
            }
        }
        return 0;
    }

    /**
     * Re-reads a batch's keys: those still at their backed-up mod revision stay in the batch; those changed since
     * (renewed, rewritten, recreated) go to {@code kept}; those gone need nothing.
     */
    private List<StoredLease> refresh(List<StoredLease> batch, List<String> kept, long deadline) {
        if (batch.isEmpty()) {
            return batch;
        }
        Map<String, Long> now = currentModRevisions(batch, deadline);
        List<StoredLease> still = new ArrayList<>(batch.size());
        for (StoredLease l : batch) {
            Long m = now.get(l.key());
            if (m == null) {
                continue;
            }
            if (m == l.modRevision()) {
                still.add(l);
            } else {
                kept.add(l.key());
            }
        }
        return still;
    }

    /** The current mod revision of each of {@code keys} that exists, in one range read over them (sorted keys). */
    private Map<String, Long> currentModRevisions(List<StoredLease> keys, long deadline) {
        List<String> sorted = keys.stream().map(StoredLease::key).sorted().toList();
        ByteSequence from = Connection.bytes(sorted.get(0));
        byte[] last = sorted.get(sorted.size() - 1).getBytes(StandardCharsets.UTF_8);
        ByteSequence to = ByteSequence.from(Arrays.copyOf(last, last.length + 1));
        GetResponse r = conn.call("get " + sorted.get(0) + ".." + sorted.get(sorted.size() - 1), deadline,
                () -> kv().get(from, GetOption.builder().withRange(to).withKeysOnly(true).build()));
        Map<String, Long> out = new HashMap<>();
        java.util.Set<String> wanted = new java.util.HashSet<>(sorted);
        for (KeyValue kv : r.getKvs()) {
            String k = string(kv.getKey());
            if (wanted.contains(k)) {
                out.put(k, kv.getModRevision());
            }
        }
        return out;
    }

    /**
     * Puts a backup back, the backup file in the same directory getting the state it replaces; refuses a backup of
     * another prefix and a config flanneld rejects. See {@link #restore(Path, Path, boolean, boolean)}.
     *
     * @param file a file written by {@link #apply} or {@link #backup}
     * @return what was written
     * @throws EtcdInputException when the backup is refused (nothing written)
     * @throws RestorePartialException when the restore stopped part way (run it again to complete it)
     * @throws EtcdException when etcd fails before anything was written
     */
    public RestoreResult restore(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return restore(file, dir, false, false);
    }

    /**
     * Puts a backup back so that afterwards the config and the keys in flanneld's lease range
     * {@code <prefix>/subnets*} are exactly the backup's.
     *
     * <p>First everything is checked, and a refusal writes nothing: the file ({@link Backup#read}: format,
     * checksum, keys inside the prefix's flannel keys, no key twice, no lease at the config key), its prefix (equal
     * to this adapter's, or {@code toOtherPrefix}: its keys are moved), and its config (one flanneld accepts, unless
     * {@code force}). Then the state etcd holds now is read and written to a new backup in
     * {@code backupDirectory}. Then only the differences are written, each key guarded by the mod revision it was
     * just read with: the backed-up leases that are missing or differ are put (with their remaining TTLs), the keys
     * the backup does not hold are deleted, and the config comes last, so flanneld sees the restored config only
     * once its leases are in place. Because it works from the difference, the restore is idempotent: run again after
     * an interruption (etcd killed, frozen, a lost answer), it writes exactly what is still missing, and run once
     * more it writes nothing.
     *
     * @param file the backup to restore
     * @param backupDirectory where the backup of the state it replaces goes
     * @param force restore even a config flanneld rejects (or none), with its findings in the result
     * @param toOtherPrefix restore a backup of another prefix under this adapter's prefix
     * @return what was written, with the findings of the restored config
     * @throws EtcdInputException when the backup is refused (nothing written)
     * @throws RestorePartialException when the restore stopped part way (etcd failed, or something else wrote a key
     *     meanwhile): the message says how far it got and the command that completes it
     * @throws EtcdException when etcd fails before anything was written
     */
    public RestoreResult restore(Path file, Path backupDirectory, boolean force, boolean toOtherPrefix) {
        Objects.requireNonNull(backupDirectory, "backupDirectory");
        Backup read = Backup.read(file);
        if (!read.prefix().equals(settings.prefix()) && !toOtherPrefix) {
            throw new EtcdInputException(file.toString(), "backup file " + file + " is for prefix " + read.prefix()
                    + " but the target prefix is " + settings.prefix() + "; give --prefix " + read.prefix()
                    + " to restore it where it came from, or --to-prefix " + settings.prefix()
                    + " to move it there (nothing was written)");
        }
        Backup b = read.movedTo(settings.prefix());
        List<Finding> findings = b.config().isPresent()
                ? rules.check(b.config().get().value(), b.leases(), true, null)
                : findings(Optional.empty());
        boolean invalid = findings.stream().anyMatch(f -> f.code() == FindingCode.FLANNEL_CONFIG_INVALID);
        if (invalid && !force) {
            String why = findings.stream().filter(f -> f.code() == FindingCode.FLANNEL_CONFIG_INVALID)
                    .map(Finding::message).findFirst().orElse("");
            throw new EtcdInputException(file.toString(), "backup file " + file + " holds "
                    + b.config().map(c -> "a config flanneld rejects: " + Texts.shorten(c.value()) + ": " + why)
                            .orElse("no config: restoring it deletes " + settings.configKey()
                                    + " and flanneld cannot start without one")
                    + ". Nothing was written; pass --force (restore(file, dir, true, ...)) to restore it anyway.");
        }
        long deadline = conn.deadline();
        Backup now = snapshot(deadline);
        Map<String, StoredLease> current = new LinkedHashMap<>();
        now.leases().forEach(l -> current.put(l.key(), l));
        java.util.Set<String> wanted = new java.util.HashSet<>();
        List<StoredLease> puts = new ArrayList<>();
        List<StoredLease> guardsForPuts = new ArrayList<>();
        int unchanged = 0;
        for (StoredLease l : b.leases()) {
            wanted.add(l.key());
            StoredLease c = current.get(l.key());
            if (c != null && c.value().equals(l.value())) {
                unchanged++;
            } else {
                puts.add(l);
                guardsForPuts.add(c);
            }
        }
        List<StoredLease> deletes = now.leases().stream().filter(l -> !wanted.contains(l.key())).toList();
        Optional<String> target = b.config().map(StoredConfig::value);
        boolean writeConfig = !now.config().map(StoredConfig::value).equals(target);
        if (puts.isEmpty() && deletes.isEmpty() && !writeConfig) {
            LOG.info("{} already holds the backup {}: nothing to write", settings.prefix(), file);
            return new RestoreResult(now.revision(), 0, 0, false, unchanged, file, Optional.empty(), findings);
        }
        Path before = backupDirectory.resolve(now.defaultFileName());
        now.write(before);
        LOG.info("state before the restore ({} leases) written to {}", now.leases().size(), before);
        Progress p = new Progress(file, before, puts.size(), deletes.size(), writeConfig);
        long revision = now.revision();
        try {
            Map<Long, Long> grantedByTtl = new HashMap<>();
            for (int i = 0; i < puts.size(); i += BATCH) {
                int end = Math.min(puts.size(), i + BATCH);
                hook.before("restore-put", i / BATCH);
                revision = Math.max(revision, restoreBatch(puts.subList(i, end), guardsForPuts.subList(i, end),
                        grantedByTtl, p));
                p.put = end;
            }
            for (int i = 0; i < deletes.size(); i += BATCH) {
                int end = Math.min(deletes.size(), i + BATCH);
                hook.before("restore-delete", i / BATCH);
                List<StoredLease> batch = deletes.subList(i, end);
                revision = Math.max(revision, restoreBatch(batch.stream().map(l -> (StoredLease) null).toList(),
                        batch, grantedByTtl, p));
                p.deleted = end;
            }
            if (writeConfig) {
                hook.before("restore-config", 0);
                revision = Math.max(revision, restoreConfig(b.config().orElse(null),
                        now.config().map(StoredConfig::modRevision).orElse(0L), p));
                p.config = true;
            }
        } catch (RestorePartialException e) {
            throw e;
        } catch (EtcdException e) {
            throw new RestorePartialException(p.partial(e.getMessage()), e);
        }
        LOG.info("restored {} from {} (revision {}, {} leases written, {} deleted, config {})", settings.prefix(),
                file, revision, puts.size(), deletes.size(), writeConfig ? "written" : "unchanged");
        return new RestoreResult(revision, puts.size(), deletes.size(), writeConfig, unchanged, file,
                Optional.of(before), findings);
    }

    /** How far a restore got, for the message of an interrupted one. */
    private static final class Progress {
        final Path file;
        final Path before;
        final int puts;
        final int deletes;
        final boolean writeConfig;
        int put;
        int deleted;
        boolean config;

        Progress(Path file, Path before, int puts, int deletes, boolean writeConfig) {
            this.file = file;
            this.before = before;
            this.puts = puts;
            this.deletes = deletes;
            this.writeConfig = writeConfig;
        }

        String partial(String cause) {
            return "restore of " + file + " is PARTIAL: " + put + " of " + puts + " lease writes and " + deleted
                    + " of " + deletes + " deletions confirmed, the config " + (!writeConfig ? "needed no change"
                            : config ? "written" : "not yet written (it is written last)")
                    + ". Nothing is lost: the state before the restore is in " + before + ". Complete it by running"
                    + " the same restore again once etcd answers: cidrguard etcd restore " + file
                    + " (with the same --endpoints, --prefix and other options); it resumes from what etcd holds and"
                    + " writes only what is still missing. Cause: " + cause;
        }
    }

    /**
     * One guarded batch: {@code puts.get(i)} is written where {@code guards.get(i)} was read (null: the key was
     * absent; a null put deletes the guard's key). When the guard fails because an earlier attempt of ours
     * committed, the keys already hold the target and the batch counts as done; any other change is someone
     * else's write, and the restore stops rather than overwrite it.
     */
    private long restoreBatch(List<StoredLease> puts, List<StoredLease> guards, Map<Long, Long> grantedByTtl,
            Progress p) {
        List<Cmp> cmps = new ArrayList<>(puts.size());
        List<Op> ops = new ArrayList<>(puts.size());
        List<StoredLease> keys = new ArrayList<>(puts.size());
        for (int i = 0; i < puts.size(); i++) {
            StoredLease put = puts.get(i);
            StoredLease guard = guards.get(i);
            String k = put != null ? put.key() : guard.key();
            keys.add(put != null ? put : guard);
            cmps.add(new Cmp(Connection.bytes(k), Cmp.Op.EQUAL, CmpTarget.modRevision(guard == null ? 0
                    : guard.modRevision())));
            if (put == null) {
                ops.add(Op.delete(Connection.bytes(k), DeleteOption.DEFAULT));
                continue;
            }
            PutOption opt = PutOption.DEFAULT;
            if (put.ttlSeconds() >= 0) {
                // Keys expiring at the same second share one etcd lease: one grant per distinct TTL.
                long ttl = Math.max(1, put.ttlSeconds());
                Long id = grantedByTtl.get(ttl);
                if (id == null) {
                    id = conn.call("lease grant " + ttl, conn.deadline(),
                            () -> conn.client().getLeaseClient().grant(ttl)).getID();
                    grantedByTtl.put(ttl, id);
                }
                opt = PutOption.builder().withLeaseId(id).build();
            }
            ops.add(Op.put(Connection.bytes(k), Connection.bytes(put.value()), opt));
        }
        boolean deleting = puts.get(0) == null;
        String what = "restore: txn " + (deleting ? "del " : "put ") + puts.size() + " keys under " + leaseRange();
        long deadline = conn.deadline();
        TxnResponse r = conn.write(what, deadline, () -> kv().txn().If(cmps.toArray(Cmp[]::new))
                .Then(ops.toArray(Op[]::new)).commit(), "Running the same restore again settles it either way.");
        if (r.isSucceeded()) {
            return r.getHeader().getRevision();
        }
        Map<String, StoredLease> now = new HashMap<>();
        List<String> sorted = keys.stream().map(StoredLease::key).sorted().toList();
        ByteSequence from = Connection.bytes(sorted.get(0));
        byte[] last = sorted.get(sorted.size() - 1).getBytes(StandardCharsets.UTF_8);
        GetResponse g = conn.call("get " + sorted.get(0) + "..", deadline, () -> kv().get(from,
                GetOption.builder().withRange(ByteSequence.from(Arrays.copyOf(last, last.length + 1))).build()));
        for (KeyValue kv : g.getKvs()) {
            now.put(string(kv.getKey()), new StoredLease(string(kv.getKey()), string(kv.getValue()),
                    kv.getModRevision(), kv.getLease(), -1));
        }
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < puts.size(); i++) {
            StoredLease put = puts.get(i);
            StoredLease at = now.get(keys.get(i).key());
            boolean done = put == null ? at == null : at != null && at.value().equals(put.value());
            if (!done) {
                changed.add(TerminalText.line(keys.get(i).key()));
            }
        }
        if (changed.isEmpty()) {
            return g.getHeader().getRevision();
        }
        throw new RestorePartialException(p.partial("someone else wrote " + changed.size() + " of these keys while"
                + " the restore ran (" + (changed.size() > 5 ? changed.subList(0, 5) + "…" : changed) + "): is"
                + " flanneld still running? Stop flanneld on every node first; the restore never overwrites a write it"
                + " did not read"), null);
    }

    /** The config, last, guarded by the mod revision it was read with. */
    private long restoreConfig(StoredConfig config, long guard, Progress p) {
        ByteSequence key = configKey();
        long deadline = conn.deadline();
        Op write = config != null ? Op.put(key, Connection.bytes(config.value()), PutOption.DEFAULT)
                : Op.delete(key, DeleteOption.DEFAULT);
        TxnResponse r = conn.write("restore: txn put " + settings.configKey(), deadline, () -> kv().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(guard))).Then(write)
                .Else(Op.get(key, GetOption.DEFAULT)).commit(), "Running the same restore again settles it either"
                        + " way.");
        if (r.isSucceeded()) {
            return r.getHeader().getRevision();
        }
        Optional<StoredConfig> now = toConfig(r.getGetResponses().get(0));
        if (now.map(StoredConfig::value).equals(Optional.ofNullable(config).map(StoredConfig::value))) {
            return r.getHeader().getRevision();
        }
        throw new RestorePartialException(p.partial("someone else rewrote " + settings.configKey() + " while the"
                + " restore ran (now " + now.map(c -> Texts.shorten(c.value())).orElse("absent") + "); stop whatever"
                + " writes it"), new EtcdConflictException(settings.configKey(), guard, now.orElse(null)));
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

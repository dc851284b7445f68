package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rewrite of flannel's config, worked out against what etcd held at one revision and not yet applied: the new
 * config, whether every lease is deleted, the findings of the new config against the cluster, the leases flanneld
 * would delete and re-lease under it, and the exact etcd operations. {@link FlannelEtcd#apply} executes it guarded by
 * {@link #expectedModRevision()} (and a reset by each deleted lease's backed-up mod revision).
 *
 * <p>Immutable; {@link #force()} gives a copy that apply accepts despite ERROR findings.
 */
public final class RewritePlan {

    private final String configKey;
    private final String subnetsPrefix;
    private final StoredConfig current;
    private final String newConfig;
    private final boolean resetSubnets;
    private final List<Finding> findings;
    private final List<LeaseAudit> incompatible;
    private final int leaseCount;
    private final List<String> strayLeaseKeys;
    private final boolean forced;

    private RewritePlan(String configKey, String subnetsPrefix, StoredConfig current, String newConfig,
            boolean resetSubnets, List<Finding> findings, List<LeaseAudit> incompatible, int leaseCount,
            List<String> strayLeaseKeys, boolean forced) {
        this.configKey = Objects.requireNonNull(configKey);
        this.subnetsPrefix = Objects.requireNonNull(subnetsPrefix);
        this.current = current;
        this.newConfig = Objects.requireNonNull(newConfig);
        this.resetSubnets = resetSubnets;
        this.findings = List.copyOf(findings);
        this.incompatible = List.copyOf(incompatible);
        this.leaseCount = leaseCount;
        this.strayLeaseKeys = List.copyOf(strayLeaseKeys);
        this.forced = forced;
    }

    static RewritePlan of(EtcdSettings settings, StoredConfig current, String newConfig, boolean resetSubnets,
            List<Finding> findings, List<LeaseAudit> incompatible, int leaseCount, List<String> strayLeaseKeys) {
        return new RewritePlan(settings.configKey(), settings.subnetsPrefix(), current, newConfig, resetSubnets,
                findings, incompatible, leaseCount, strayLeaseKeys, false);
    }

    /** @return a copy that {@link FlannelEtcd#apply} accepts even with ERROR findings */
    public RewritePlan force() {
        return new RewritePlan(configKey, subnetsPrefix, current, newConfig, resetSubnets, findings, incompatible,
                leaseCount, strayLeaseKeys, true);
    }

    /** @return true when made by {@link #force()} */
    public boolean forced() {
        return forced;
    }

    /** @return the config key written */
    public String configKey() {
        return configKey;
    }

    /** @return the config as it was when planned, empty when the key did not exist */
    public Optional<StoredConfig> current() {
        return Optional.ofNullable(current);
    }

    /** @return the mod revision the write is guarded by; 0 means the key must still be absent */
    public long expectedModRevision() {
        return current == null ? 0 : current.modRevision();
    }

    /** @return the JSON that will be written, exactly */
    public String newConfig() {
        return newConfig;
    }

    /** @return true when every key under {@code subnets/} is deleted in the same transaction */
    public boolean resetSubnets() {
        return resetSubnets;
    }

    /** @return the findings of the new config against the cluster */
    public List<Finding> findings() {
        return findings;
    }

    /** @return true when a finding is an ERROR (apply refuses unless forced) */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /**
     * @return the leases flanneld would delete and re-lease under the new config (when subnets are reset, all of
     *     them go anyway, and these are the ones that would have gone regardless)
     */
    public List<LeaseAudit> incompatibleLeases() {
        return incompatible;
    }

    /** @return how many keys were under {@code subnets/} when planned, stray lease keys included */
    public int leaseCount() {
        return leaseCount;
    }

    /**
     * Keys outside {@code subnets/} that flanneld still reads as leases, e.g. {@code <prefix>/subnets-old/10.244.1.0-24}
     * left by a hand-made copy: flanneld lists {@code <prefix>/subnets} without the slash and parses keys from their
     * end (flannel v0.28.9 pkg/subnet/etcd/registry.go, getSubnets). A subnet reset deletes them too, after the backup has saved them.
     *
     * @return the full keys, in key order, when planned
     */
    public List<String> strayLeaseKeys() {
        return strayLeaseKeys;
    }

    /** @return the etcd operations, one per line, in etcdctl's words */
    public List<String> operations() {
        List<String> ops = new ArrayList<>();
        ops.add("txn if mod_revision(\"" + configKey + "\") = " + expectedModRevision()
                + (resetSubnets && leaseCount > 0 ? " and mod_revision(<each deleted lease>) = <its backed-up one>"
                        : ""));
        ops.add("  put " + configKey + " '" + newConfig + "'");
        if (resetSubnets) {
            ops.add("  del <each key under " + subnetsPrefix + " in the backup>   (" + (leaseCount
                    - strayLeaseKeys.size()) + " keys when planned; at most " + FlannelEtcd.BATCH + " per"
                    + " transaction, the first with the put; a lease written after the backup is kept)");
            for (String k : strayLeaseKeys) {
                ops.add("  del " + k + "   (outside " + subnetsPrefix + ", but flanneld reads it as a lease)");
            }
        }
        return ops;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RewritePlan");
        sb.append(forced ? " (forced)" : "").append('\n');
        for (String op : operations()) {
            sb.append("  ").append(op).append('\n');
        }
        for (Finding f : findings) {
            sb.append("  ").append(f).append('\n');
        }
        sb.append("  ").append(incompatible.size()).append(" of ").append(leaseCount)
                .append(" leases incompatible with the new config");
        return sb.toString();
    }
}

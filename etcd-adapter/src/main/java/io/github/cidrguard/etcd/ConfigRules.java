package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import java.util.List;
import java.util.function.Function;

/**
 * The seam between the etcd plumbing and flannel's semantics: validating a config, judging leases against it and
 * rewriting its Network. Kept small so the plumbing can be tested on its own.
 */
interface ConfigRules {

    /**
     * Findings of a config against the cluster.
     *
     * @param leases what etcd holds under {@code subnets/}; their PublicIPs are the nodes when no scenario is given
     * @param leasesStay false when the leases are about to be deleted (they then only name the nodes)
     * @param scenario the cluster model, or null
     */
    List<Finding> check(String configJson, List<StoredLease> leases, boolean leasesStay, Scenario scenario);

    /** What flanneld would do with each lease under the config (parsed once). The config is known to parse. */
    Function<StoredLease, LeaseAudit> auditor(String configJson);

    /** The config with only its Network replaced, as JSON flanneld parses. */
    String withNetwork(String key, String configJson, Cidr network);

    /** Rejects a config flanneld would not start with. */
    void requireValid(String key, String configJson);
}

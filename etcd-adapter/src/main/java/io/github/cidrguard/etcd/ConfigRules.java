package io.github.cidrguard.etcd;

import io.github.cidrguard.net.Cidr;
import java.util.List;

/**
 * The seam between the etcd plumbing and flannel's semantics: validating a config, judging leases against it and
 * rewriting its Network. Kept small so the plumbing can be tested on its own.
 */
interface ConfigRules {

    /** Findings of a config against what etcd holds (node IPs come from the leases). */
    List<PlanFinding> check(String configJson, List<StoredLease> leases);

    /** What flanneld would do with a lease under the config. The config is known to parse. */
    LeaseAudit audit(String configJson, StoredLease lease);

    /** The config with only its Network replaced, as JSON flanneld parses. */
    String withNetwork(String configJson, Cidr network);

    /** Rejects a config flanneld would not start with. */
    void requireValid(String key, String configJson);
}

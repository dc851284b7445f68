package io.github.cidrguard.examples;

import io.github.cidrguard.etcd.ApplyResult;
import io.github.cidrguard.etcd.EtcdSettings;
import io.github.cidrguard.etcd.FlannelEtcd;
import io.github.cidrguard.etcd.RewritePlan;
import io.github.cidrguard.net.Cidr;

import java.nio.file.Path;

/**
 * The story's fix done safely: plan a new Network with a subnet reset, refuse a plan with ERROR findings, then apply it
 * guarded by the config's mod revision (and each deleted lease's backed-up one), after a backup of the config and every
 * lease.
 */
public final class RewriteNetworkInEtcd {
    private RewriteNetworkInEtcd() {
    }

    /** Rewrites the Network at the etcd the settings name; returns the transaction's result. */
    public static ApplyResult run(EtcdSettings settings, Cidr network, Path backupFile) {
        try (FlannelEtcd etcd = FlannelEtcd.open(settings)) {
            System.out.println("stored: " + etcd.readConfig().value());
            RewritePlan plan = etcd.planNetwork(network, true);
            plan.operations().forEach(op -> System.out.println("  " + op));
            if (plan.hasErrors()) {
                throw new IllegalStateException("refusing a plan with ERROR findings: " + plan.findings());
            }
            ApplyResult result = etcd.apply(plan, backupFile);
            System.out.println("applied at revision " + result.revision() + ", " + result.subnetsDeleted()
                    + " leases deleted, backup " + result.backup());
            return result;
        }
    }

    public static void main(String[] args) {
        EtcdSettings s = EtcdSettings.builder().endpoints(args.length > 0 ? args[0] : "http://127.0.0.1:2379").build();
        // a backup is never overwritten: a new name per run
        run(s, Cidr.parse(args.length > 1 ? args[1] : "10.244.0.0/16"),
                Path.of("cidrguard-backup-" + System.currentTimeMillis() + ".json"));
    }
}

package io.github.cidrguard.etcd;

import io.github.cidrguard.examples.RewriteNetworkInEtcd;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewrite sample against a real etcd (the adapter's test extension); it lives in the adapter's test package to
 * reach that extension.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RewriteNetworkInEtcdIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    @TempDir
    Path tmp;

    @Test
    void sampleRewritesTheNetwork() {
        ETCD.cluster().etcdctl("put", "/coreos.com/network/config",
                "{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}");
        ETCD.cluster().etcdctl("put", "/coreos.com/network/subnets/10.252.100.0-24",
                "{\"PublicIP\":\"10.252.158.71\",\"BackendType\":\"vxlan\"}");
        ApplyResult r = RewriteNetworkInEtcd.run(ETCD.cluster().settings().build(), Cidr.parse("10.244.0.0/16"),
                tmp.resolve("sample-backup.json"));
        assertEquals(1, r.subnetsDeleted());
        assertTrue(ETCD.cluster().etcdctl("get", "/coreos.com/network/config").contains("10.244.0.0/16"));
    }
}

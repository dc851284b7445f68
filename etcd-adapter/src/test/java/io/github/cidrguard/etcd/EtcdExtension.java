package io.github.cidrguard.etcd;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link EtcdCluster} per test class: register it as a static field with
 * {@code @RegisterExtension}; the cluster starts before the first test and is stopped (by pid) after the last.
 */
final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

    private final int members;
    private final boolean tls;
    private EtcdCluster cluster;

    private EtcdExtension(int members, boolean tls) {
        this.members = members;
        this.tls = tls;
    }

    static EtcdExtension single() {
        return new EtcdExtension(1, false);
    }

    static EtcdExtension members(int n) {
        return new EtcdExtension(n, false);
    }

    static EtcdExtension tls() {
        return new EtcdExtension(1, true);
    }

    EtcdCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("etcd not started: register the extension as a static @RegisterExtension");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.start(members, tls);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}

package io.github.cidrguard.etcd;

/**
 * Receives each change of flannel's config, re-validated, from {@link FlannelEtcd#watch(ConfigListener)}. Called on
 * a client thread, one event at a time; an exception thrown here is logged and does not stop the watch.
 */
@FunctionalInterface
public interface ConfigListener {

    /**
     * @param change the config as now stored and its findings
     */
    void onChange(ConfigChange change);

    /**
     * The watch failed and has stopped (etcd unreachable for good, permission revoked, revision compacted).
     *
     * @param error what happened; by default ignored
     */
    default void onError(EtcdException error) {
    }
}

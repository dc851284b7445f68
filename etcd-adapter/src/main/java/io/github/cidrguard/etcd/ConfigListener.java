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
     * The watch failed and has stopped: etcd stayed unreachable, or refused the client, for a whole call deadline
     * (all members down or hanging; authentication or permission lost), or refused the watch for good (a compacted
     * revision). Called at most once; no change is delivered after it.
     *
     * @param error what happened; by default ignored
     */
    default void onError(EtcdException error) {
    }
}

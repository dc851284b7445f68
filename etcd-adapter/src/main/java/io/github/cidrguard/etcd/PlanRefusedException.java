package io.github.cidrguard.etcd;

/**
 * {@link FlannelEtcd#apply} refused a plan that has ERROR findings and was not forced. Nothing was written.
 */
public final class PlanRefusedException extends EtcdException {

    private static final long serialVersionUID = 1L;

    PlanRefusedException(String message) {
        super(message);
    }
}

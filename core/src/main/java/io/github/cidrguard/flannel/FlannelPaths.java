package io.github.cidrguard.flannel;

/**
 * The etcd keys flanneld reads and writes under its {@code --etcd-prefix}, built the way flannel's etcd registry
 * ({@code pkg/subnet/etcd/registry.go}) builds them: with Go's {@code path.Join}, so the prefix is cleaned (repeated
 * and trailing slashes collapse, {@code .}/{@code ..} are resolved lexically) and a prefix without a leading slash
 * stays relative.
 */
public final class FlannelPaths {
    /** flanneld's default {@code --etcd-prefix}, {@code /coreos.com/network}. */
    public static final String DEFAULT_PREFIX = "/coreos.com/network";

    private FlannelPaths() {
    }

    /**
     * The network config key, {@code path.Join(prefix, "config")}: {@code /coreos.com/network/config} for the
     * default prefix.
     *
     * @throws NullPointerException if {@code prefix} is null
     */
    public static String configKey(String prefix) {
        return GoPath.join(requirePrefix(prefix), "config");
    }

    /**
     * The key prefix under which leases live, {@code path.Join(prefix, "subnets")}: flanneld lists leases with an
     * etcd v3 prefix Get on exactly this string (without a trailing slash, so {@code …/subnetsX} keys match too and
     * are skipped when they do not parse).
     *
     * @throws NullPointerException if {@code prefix} is null
     */
    public static String subnetsKey(String prefix) {
        return GoPath.join(requirePrefix(prefix), "subnets");
    }

    /**
     * The key of one lease, {@code path.Join(prefix, "subnets", MakeSubnetKey(…))}, e.g.
     * {@code /coreos.com/network/subnets/10.5.1.0-24}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static String leaseKey(String prefix, SubnetKey key) {
        return GoPath.join(requirePrefix(prefix), "subnets", key.toString());
    }

    private static String requirePrefix(String prefix) {
        if (prefix == null) {
            throw new NullPointerException("etcd prefix is null; flanneld's default is " + DEFAULT_PREFIX);
        }
        return prefix;
    }
}

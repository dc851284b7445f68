/**
 * flannel's data model as flanneld v0.28.9 reads and writes it: the network config in etcd or the kube-flannel
 * ConfigMap ({@link io.github.cidrguard.flannel.FlannelConfig}, its {@link io.github.cidrguard.flannel.Backend} options and
 * {@link io.github.cidrguard.flannel.FlannelConfigException}), subnet leases ({@link io.github.cidrguard.flannel.SubnetKey},
 * the etcd key of a lease, {@link io.github.cidrguard.flannel.LeaseAttrs}, its value, and
 * {@link io.github.cidrguard.flannel.LeaseCompatibility}, flannel's verdict on a lease under a config), the etcd key
 * layout ({@link io.github.cidrguard.flannel.FlannelPaths}) and the {@code /run/flannel/subnet.env} file ({@code SubnetEnv}).
 *
 * <p>Everything here mirrors flannel's own code, quirks included, and each type's Javadoc names the flannel function
 * it follows. Go semantics the model depends on (Go's {@code net.ParseIP}/{@code ParseCIDR}/{@code IP.String},
 * {@code path.Join}, lenient {@code encoding/json} decoding) are package-private helpers and not part of the API.
 */
@NullMarked
package io.github.cidrguard.flannel;

import org.jspecify.annotations.NullMarked;

/**
 * cidrguard's root package: {@link io.github.cidrguard.CidrguardInputException}, the common supertype of every
 * bad-input error the library raises, and {@link io.github.cidrguard.InputText}, reading input text with the limits
 * (size, nesting, UTF-8) every reader shares. The domain lives in the sub-packages, in the order data flows through them
 * (docs/architecture.md): {@code net} (addresses and CIDRs), {@code flannel} (flanneld's config, lease and
 * subnet.env semantics), {@code kube} (the cluster model), {@code scenario} (the scenario file format),
 * {@code ingest} (importers of real cluster output), {@code analysis} (findings and suggestions) and {@code trace}
 * (the packet-path model).
 */
@NullMarked
package io.github.cidrguard;

import org.jspecify.annotations.NullMarked;

/**
 * Addresses and address space: {@link io.github.cidrguard.net.IpAddress}, {@link io.github.cidrguard.net.Cidr}
 * (a prefix block with a strict parser that refuses host bits and a masked parser that mirrors Go's
 * {@code net.ParseCIDR}), {@link io.github.cidrguard.net.AddressRange} (an arbitrary {@code first-last} range) and
 * {@link io.github.cidrguard.net.AddressSet} (union, intersection, difference and free space).
 *
 * <p>All types are immutable values with equality on their own fields. IPAddress
 * (com.github.seancfoley:ipaddress) does the parsing, RFC 5952 printing and range-to-CIDR decomposition behind
 * them; its types appear only in explicit {@code toIPAddress()} escape hatches.
 */
@NullMarked
package io.github.cidrguard.net;

import org.jspecify.annotations.NullMarked;

package io.github.cidrguard.flannel;

import io.github.cidrguard.CidrguardInputException;

/**
 * flanneld cannot decode a lease value, so it skips the lease and logs {@code Ignoring bad subnet node: <error>}.
 * {@link #flannelMessage()} is that error text verbatim; {@link #getMessage()} adds the value and the fix.
 */
public final class LeaseAttrsException extends CidrguardInputException {
    private static final long serialVersionUID = 1L;

    private final String flannelMessage;

    LeaseAttrsException(String flannelMessage, String input) {
        super(null, 0, "flanneld ignores the lease value (Ignoring bad subnet node: " + flannelMessage + "): "
                + (input.length() > 200 ? input.substring(0, 200) + "…" : input)
                + "; fix: write it as flannel does, e.g. {\"PublicIP\":\"10.252.158.71\",\"PublicIPv6\":null,"
                + "\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}, with an"
                + " IPv4 PublicIP", null);
        this.flannelMessage = flannelMessage;
    }

    /** flannel's (or Go's) error text, e.g. {@code invalid IPv4 address format}. */
    public String flannelMessage() {
        return flannelMessage;
    }
}

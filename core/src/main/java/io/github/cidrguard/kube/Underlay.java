package io.github.cidrguard.kube;

/**
 * The network the nodes sit on.
 *
 * @param antiSpoofing whether the underlay (cloud source/destination checks, port security, switch uRPF) drops
 *     packets whose source is not the sending node's own address
 */
public record Underlay(boolean antiSpoofing) {
    /** An underlay without anti-spoofing (the default). */
    public static Underlay plain() {
        return new Underlay(false);
    }
}

package io.github.cidrguard.etcd;

import java.util.List;
import java.util.Objects;

/**
 * One finding about a config in etcd, in the shape of the finding catalogue (DESIGN §3.3): stable code, severity, the
 * inputs involved, the colliding range, what breaks and the remedy.
 *
 * @param code the catalogue code, e.g. {@code POD_NETWORK_CONTAINS_NODE_IP}
 * @param severity how bad it is
 * @param subjects the named inputs involved
 * @param range the colliding addresses (a CIDR or {@code a-b}), or empty
 * @param message what breaks and why
 * @param remedy what to do
 */
public record PlanFinding(String code, Severity severity, List<String> subjects, String range, String message,
        String remedy) {

    /** The catalogue's severities. */
    public enum Severity {
        /** Traffic or flanneld breaks; a plan with one is refused unless forced. */
        ERROR,
        /** Something will change or may break. */
        WARNING,
        /** Worth knowing. */
        INFO
    }

    /** @throws NullPointerException when a field is null */
    public PlanFinding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(remedy, "remedy");
    }

    @Override
    public String toString() {
        return severity + " " + code + (range.isEmpty() ? "" : " " + range) + ": " + message;
    }
}

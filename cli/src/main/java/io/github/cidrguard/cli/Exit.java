package io.github.cidrguard.cli;

/** The exit codes of docs/architecture.md ("The command"). */
final class Exit {
    /** Clean: no ERROR findings (no WARNING either with {@code --strict}), the trace was delivered. */
    static final int OK = 0;
    /** ERROR findings, a trace that is not delivered, or WARNING findings with {@code --strict}. */
    static final int FINDINGS = 1;
    /** Bad input or usage. */
    static final int USAGE = 2;
    /** The outside world failed: etcd unreachable, TLS refused, permission denied, a lost race. */
    static final int WORLD = 3;

    private Exit() {
    }
}

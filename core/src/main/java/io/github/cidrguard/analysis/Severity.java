package io.github.cidrguard.analysis;

/** How bad a finding is; reports list ERROR first. */
public enum Severity {
    /** Traffic breaks (or flanneld refuses to start). */
    ERROR,
    /** Traffic may break, or will once the cluster grows. */
    WARNING,
    /** Worth knowing; nothing breaks. */
    INFO
}

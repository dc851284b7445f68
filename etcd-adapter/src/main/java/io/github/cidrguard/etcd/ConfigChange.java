package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.Severity;
import java.util.List;
import java.util.Optional;

/**
 * One state of flannel's config seen by a watch, with its findings.
 *
 * @param revision the etcd revision of the change (for the first event, the revision the watch started at)
 * @param config the config now, empty when the key was deleted
 * @param findings the config's findings (a deleted or unparseable config gives {@code FLANNEL_CONFIG_INVALID})
 */
public record ConfigChange(long revision, Optional<StoredConfig> config, List<Finding> findings) {

    /** Copies the findings. */
    public ConfigChange {
        findings = List.copyOf(findings);
    }

    /** @return true when a finding is an ERROR */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }
}

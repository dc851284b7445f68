package io.github.cidrguard.kube;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a node's installed netfilter rules were saved: the files of {@code iptables-save}, {@code ip6tables-save} and
 * {@code nft list ruleset} taken on that node, as the scenario file writes them (relative to the scenario file's
 * directory, or absolute). The model holds the paths only; reading them is the importer's and the command's business
 * ({@code io.github.cidrguard.ingest.InstalledRules}), and {@code cidrguard trace --rules installed} evaluates them.
 *
 * @param iptablesSave the {@code iptables-save} output
 * @param ip6tablesSave the {@code ip6tables-save} output
 * @param nftRuleset the {@code nft list ruleset} output
 */
public record NodeRules(Optional<String> iptablesSave, Optional<String> ip6tablesSave, Optional<String> nftRuleset) {
    /**
     * Checks that at least one file is named and none is blank.
     *
     * @throws IllegalArgumentException naming the keys when no file is given or a path is blank
     */
    public NodeRules {
        Objects.requireNonNull(iptablesSave, "iptablesSave");
        Objects.requireNonNull(ip6tablesSave, "ip6tablesSave");
        Objects.requireNonNull(nftRuleset, "nftRuleset");
        if (iptablesSave.isEmpty() && ip6tablesSave.isEmpty() && nftRuleset.isEmpty()) {
            throw new IllegalArgumentException("rules names no file; give at least one of iptablesSave, "
                    + "ip6tablesSave, nftRuleset");
        }
        if (iptablesSave.orElse("x").isBlank() || ip6tablesSave.orElse("x").isBlank()
                || nftRuleset.orElse("x").isBlank()) {
            throw new IllegalArgumentException("rules has a blank path; give the file's path relative to the "
                    + "scenario file");
        }
    }
}

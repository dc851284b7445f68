package io.github.cidrguard.analysis;

import io.github.cidrguard.net.Cidr;

import java.util.List;
import java.util.Objects;

/**
 * A proposed range with the reasons it is a good choice.
 *
 * @param cidr the range
 * @param reasons why: where it comes from, its capacity, what it avoids
 */
public record Suggestion(Cidr cidr, List<String> reasons) {
    /** Copies the reasons. */
    public Suggestion {
        Objects.requireNonNull(cidr, "cidr");
        reasons = List.copyOf(reasons);
    }
}

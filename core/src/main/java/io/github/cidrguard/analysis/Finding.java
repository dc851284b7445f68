package io.github.cidrguard.analysis;

import io.github.cidrguard.trace.Flow;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem in an address plan (docs/findings.md).
 *
 * @param code the catalogue code
 * @param severity ERROR, WARNING or INFO
 * @param subjects the named inputs involved, e.g. {@code flannel.Network 10.252.0.0/16}, {@code node node-71
 *     10.252.158.71}
 * @param range the colliding addresses as a CIDR or {@code a-b} range; empty when the finding is not about
 *     addresses (an invalid config, a missing setting)
 * @param message what breaks and why
 * @param remedy what to do about it
 * @param flow for a finding that claims traffic breaks, a representative flow whose trace shows the break; empty
 *     for a finding about a config, a hazard for later leases, or a break the tracer does not model
 * @param location where in the input file the finding points; empty until a report is located against the file it
 *     was read from ({@link Report#locate}), and always empty for findings about data that came from no file
 */
public record Finding(FindingCode code, Severity severity, List<String> subjects, Optional<String> range,
                      String message, String remedy, Optional<Flow> flow, Optional<Location> location) {
    /** Checks that every part is present and copies the subjects. */
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(remedy, "remedy");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(location, "location");
    }

    /** A finding without a representative flow, pointing at no file. */
    public Finding(FindingCode code, Severity severity, List<String> subjects, Optional<String> range,
                   String message, String remedy) {
        this(code, severity, subjects, range, message, remedy, Optional.empty(), Optional.empty());
    }

    /** This finding with a representative flow that shows the break. */
    public Finding withFlow(Flow f) {
        return new Finding(code, severity, subjects, range, message, remedy, Optional.of(f), location);
    }

    /** This finding pointing at {@code newLocation}. */
    public Finding withLocation(Location newLocation) {
        return new Finding(code, severity, subjects, range, message, remedy, flow,
                Optional.of(Objects.requireNonNull(newLocation, "newLocation")));
    }
}

package io.github.cidrguard.analysis;

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
 * @param location where in the input file the finding points; empty until a report is located against the file it
 *     was read from ({@link Report#locate}), and always empty for findings about data that came from no file
 */
public record Finding(FindingCode code, Severity severity, List<String> subjects, Optional<String> range,
                      String message, String remedy, Optional<Location> location) {
    /** Checks that every part is present and copies the subjects. */
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(remedy, "remedy");
        Objects.requireNonNull(location, "location");
    }

    /** A finding that points at no file (as analysis makes them). */
    public Finding(FindingCode code, Severity severity, List<String> subjects, Optional<String> range,
                   String message, String remedy) {
        this(code, severity, subjects, range, message, remedy, Optional.empty());
    }

    /** This finding pointing at {@code newLocation}. */
    public Finding withLocation(Location newLocation) {
        return new Finding(code, severity, subjects, range, message, remedy,
                Optional.of(Objects.requireNonNull(newLocation, "newLocation")));
    }
}

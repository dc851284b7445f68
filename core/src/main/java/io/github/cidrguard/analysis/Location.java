package io.github.cidrguard.analysis;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where in an input file a finding points: the file, and the line of the element the finding is about when it is
 * known. The cluster model carries no file positions; the scenario reader's location table
 * ({@code io.github.cidrguard.scenario.LocatedScenario}) attaches these to a report after analysis.
 *
 * @param file the file as the user named it (the command writes it relative to the working directory)
 * @param line the 1-based line, or empty when only the file is known
 */
public record Location(String file, OptionalInt line) {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException for a blank file or a line below 1
     */
    public Location {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(line, "line");
        if (file.isBlank()) {
            throw new IllegalArgumentException("a location needs a file name, not '" + file + "'");
        }
        if (line.isPresent() && line.getAsInt() < 1) {
            throw new IllegalArgumentException("line " + line.getAsInt() + " of " + file
                    + " is not a line; lines count from 1");
        }
    }

    /** The file alone, no line. */
    public static Location of(String file) {
        return new Location(file, OptionalInt.empty());
    }

    /** A line of a file; a line below 1 (unknown) gives the file alone. */
    public static Location of(String file, int line) {
        return new Location(file, line < 1 ? OptionalInt.empty() : OptionalInt.of(line));
    }

    /** {@code seed.yaml:14}, or the file alone. */
    @Override
    public String toString() {
        return line.isPresent() ? file + ":" + line.getAsInt() : file;
    }
}

package io.github.cidrguard.scenario;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;

import io.github.cidrguard.InputText;
import io.github.cidrguard.InputTextException;

import java.nio.file.Path;

/**
 * The scenario file format (docs/scenario-format.md): YAML, or JSON, with {@code cidrguard: 1} as its version. It
 * reads a file into the cluster model of {@code io.github.cidrguard.kube} and writes the model back; the model itself
 * does no file I/O ({@link Scenario#load} and {@link Scenario#toYaml} delegate here).
 *
 * <p>Reading refuses unknown keys and bad values with a {@link ScenarioException} that names the source, the line of
 * the key or value, what is wrong and the fix, e.g. {@code seed.yaml line 14: unknown key 'podCIRD' under nodes[0];
 * did you mean 'podCidr'?}.
 */
public final class ScenarioFormat {
    private ScenarioFormat() {
    }

    /**
     * Reads a scenario file, YAML or JSON; the file's name starts every error message and names the scenario when
     * the file has no {@code name}.
     *
     * <p>The file is read with the limits of {@link InputText}: at most {@link InputText#maxBytes()} bytes (1 GiB
     * unless {@value InputText#MAX_BYTES_PROPERTY} says otherwise), UTF-8, no NUL byte.
     *
     * @throws InputTextException for a missing or unreadable file, one past the size limit, not text or not UTF-8
     * @throws ScenarioException for bad syntax, unknown keys and bad values
     */
    public static Scenario load(Path file) {
        String text = InputText.read(file, "the scenario file");
        Path fileName = file.getFileName();
        return parse(text, fileName == null ? file.toString() : fileName.toString());
    }

    /**
     * Reads a scenario from text, YAML or JSON; {@code sourceName} (e.g. a file name) starts every error message and
     * names the scenario when the text has none.
     *
     * <p>Limits: a text longer than {@link InputText#maxBytes()} characters, or nested deeper than
     * {@link InputText#maxNesting()}, is refused with an error that names the limit and its system property. YAML
     * aliases ({@code *a}) are refused too: a scenario has no use for them, and refusing them
     * leaves no way to make a small file expand into a huge one ("billion laughs").
     *
     * @throws ScenarioException for bad syntax, unknown keys and bad values, a text past a limit, an alias
     */
    public static Scenario parse(String text, String sourceName) {
        return ScenarioReader.read(text, sourceName);
    }

    /**
     * Reads a scenario file like {@link #load} and also returns the line of every element of the file, so that
     * findings can point at their line ({@link LocatedScenario#locate}).
     *
     * @throws InputTextException for a missing or unreadable file, one past the size limit, not text or not UTF-8
     * @throws ScenarioException for bad syntax, unknown keys and bad values
     */
    public static LocatedScenario loadWithLocations(Path file) {
        String text = InputText.read(file, "the scenario file");
        Path fileName = file.getFileName();
        return parseWithLocations(text, fileName == null ? file.toString() : fileName.toString());
    }

    /**
     * Reads a scenario from text like {@link #parse} and also returns the line of every element.
     *
     * @throws ScenarioException for bad syntax, unknown keys and bad values
     */
    public static LocatedScenario parseWithLocations(String text, String sourceName) {
        return ScenarioReader.readLocated(text, sourceName);
    }

    /** The scenario as a YAML scenario file that {@link #parse} reads back to an equal scenario. */
    public static String toYaml(Scenario scenario) {
        return ScenarioWriter.toYaml(scenario);
    }
}

/**
 * The scenario file format (docs/scenario-format.md): {@link io.github.cidrguard.scenario.ScenarioFormat} reads a
 * YAML or JSON file into the model of {@code io.github.cidrguard.kube} and writes the model back as YAML.
 *
 * <p>Reading keeps the line of every key and value, so that every error — bad syntax, an unknown key (with the closest
 * known one), a bad value — is a {@link io.github.cidrguard.kube.ScenarioException} naming the source and the line.
 * {@link io.github.cidrguard.scenario.ScenarioFormat#loadWithLocations} also returns those lines as a
 * {@link io.github.cidrguard.scenario.LocatedScenario}, which points each finding of a report at the line of the
 * element it is about, so that the model stays free of file positions.
 */
@NullMarked
package io.github.cidrguard.scenario;

import org.jspecify.annotations.NullMarked;

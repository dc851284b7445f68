/**
 * The {@code cidrguard} command (docs/architecture.md ("The command")): picocli commands, one small class each, with the rendering of their
 * results ({@code --format text|json}) kept apart from the work, which the library does. Exit codes: 0 clean, 1 ERROR
 * findings or a trace that is not delivered (WARNING too with {@code --strict}), 2 bad input or usage, 3 the outside
 * world failed. {@link io.github.cidrguard.cli.Main#run} runs the command in-process with given streams.
 */
package io.github.cidrguard.cli;

/** The {@code cidrguard} command's subcommands (picocli). */
package io.github.cidrguard.cli;

package io.github.cidrguard.cli;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.analysis.Severity;

import java.io.PrintWriter;

/** A {@link Report} for people: one block per finding, ERROR first, and a summary line. */
final class ReportView {
    private ReportView() {
    }

    static void print(Report report, Io io) {
        PrintWriter out = io.out;
        out.println(io.bold(report.scenario()) + ": " + summary(report, io));
        for (Finding f : report.findings()) {
            out.println();
            out.println(severity(f.severity(), io) + "  " + io.bold(f.code().name())
                    + f.range().map(r -> "  " + io.cyan(r)).orElse("")
                    + f.location().map(l -> "  " + io.dim(l.toString())).orElse(""));
            if (!f.subjects().isEmpty()) {
                out.println(io.dim(Text.wrap(String.join("; ", f.subjects()), "         ")));
            }
            out.println(Text.wrap(f.message(), "         "));
            out.println(Text.wrap("fix: " + f.remedy(), "         "));
        }
    }

    /** Compact form, one line per finding (for the demo). */
    static void printShort(Report report, Io io) {
        for (Finding f : report.findings()) {
            io.out.println("  " + severity(f.severity(), io) + "  " + Text.pad(f.code().name(), 36)
                    + f.range().map(io::cyan).orElse(""));
        }
        io.out.println("  " + summary(report, io));
    }

    static String summary(Report r, Io io) {
        String s = Text.plural(r.errors(), "error", "errors") + ", " + Text.plural(r.warnings(), "warning", "warnings")
                + ", " + Text.plural(r.infos(), "info", "infos");
        return r.errors() > 0 ? io.red(s) : r.warnings() > 0 ? io.yellow(s) : io.green(s);
    }

    static String severity(Severity s, Io io) {
        String t = Text.pad(s.name(), 7);
        return switch (s) {
            case ERROR -> io.red(t);
            case WARNING -> io.yellow(t);
            case INFO -> io.dim(t);
        };
    }

    /** 1 on ERROR findings, or on WARNING findings when strict; else 0. */
    static int exitCode(Report r, boolean strict) {
        return r.errors() > 0 || strict && r.warnings() > 0 ? Exit.FINDINGS : Exit.OK;
    }
}

package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.analysis.Severity;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@link Report} in the formats CI systems read: SARIF 2.1.0 (GitHub code scanning and other SARIF viewers), JUnit
 * XML (test report panes) and GitHub Actions workflow commands (annotations on the changed lines). Each finding points
 * at the file and line of the element it is about when the report was located in its file.
 */
final class CiReport {
    static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final Map<FindingCode, String> HELP = help();

    private CiReport() {
    }

    /** The help text of a code: what raises it (docs/findings.md). */
    static String help(FindingCode code) {
        return HELP.get(code);
    }

    private static Map<FindingCode, String> help() {
        Properties p = new Properties();
        try (InputStream in = CiReport.class.getResourceAsStream("finding-codes.properties")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks io/github/cidrguard/cli/finding-codes.properties; "
                        + "rebuild it with mvn package");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the finding codes' help", e);
        }
        Map<FindingCode, String> m = new EnumMap<>(FindingCode.class);
        for (FindingCode c : FindingCode.values()) {
            String text = p.getProperty(c.name());
            m.put(c, text == null ? "See " + c.name() + " in docs/findings.md." : text);
        }
        return m;
    }

    // ---- SARIF 2.1.0 ----

    /**
     * The report as a SARIF 2.1.0 log: one run of the tool {@code cidrguard} whose driver lists one rule per finding
     * code of the catalogue (its help text; the rule's index is the code's), and one result per finding with its
     * level (ERROR → error, WARNING → warning, INFO → note), message (the finding's message and its fix) and, when
     * located, a physical location: the file as a relative URI and the line. The log's property bag carries
     * {@code "cidrguard": 1}; each result's carries the finding's severity, subjects and range.
     */
    static String sarif(Report report, String version) {
        ObjectNode log = Json.MAPPER.createObjectNode();
        log.put("$schema", SARIF_SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "cidrguard");
        driver.put("semanticVersion", version);
        ArrayNode rules = driver.putArray("rules");
        for (FindingCode c : FindingCode.values()) {
            ObjectNode r = rules.addObject();
            r.put("id", c.name());
            r.put("name", camel(c.name()));
            r.putObject("shortDescription").put("text", help(c));
            r.putObject("fullDescription").put("text", help(c));
            r.putObject("help").put("text", help(c) + " The finding catalogue (docs/findings.md) has an example "
                    + "scenario for " + c.name() + ".");
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.code().name());
            r.put("ruleIndex", f.code().ordinal());
            r.put("level", switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "note";
            });
            r.putObject("message").put("text", f.message() + " Fix: " + f.remedy());
            f.location().ifPresent(l -> {
                ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
                physical.putObject("artifactLocation").put("uri", uri(l.file()));
                l.line().ifPresent(line -> physical.putObject("region").put("startLine", line));
            });
            ObjectNode props = r.putObject("properties");
            props.put("severity", f.severity().name());
            ArrayNode subjects = props.putArray("subjects");
            f.subjects().forEach(subjects::add);
            f.range().ifPresent(range -> props.put("range", range));
            props.put("remedy", f.remedy());
        }
        ObjectNode props = run.putObject("properties");
        props.put("scenario", report.scenario());
        log.putObject("properties").put("cidrguard", Json.VERSION);
        return Json.write(log);
    }

    /** {@code POD_NETWORK_CONTAINS_NODE_IP} → {@code PodNetworkContainsNodeIp} (SARIF's rule names are camel case). */
    static String camel(String code) {
        StringBuilder b = new StringBuilder();
        for (String part : code.split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    /** A relative file path as a URI reference (forward slashes, spaces and the like percent-encoded). */
    static String uri(String file) {
        String path = file.replace('\\', '/');
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the file name '" + file + "' cannot be written as a URI: "
                    + e.getMessage() + "; rename the file", e);
        }
    }

    // ---- JUnit XML ----

    /**
     * The report as JUnit XML: one test suite named after the scenario, one test case per finding code of the
     * catalogue (classname {@code cidrguard.check}); a code's ERROR and WARNING findings are each a
     * {@code <failure>} of its case (type = severity, message = the finding's message, body = subjects, range, fix
     * and location), and its INFO findings are printed in the case's {@code <system-out>} without failing it. A case
     * with a located failure carries {@code file} and {@code line} attributes (of its first failure) for CI
     * annotators.
     */
    static String junit(Report report, String command) {
        StringWriter buf = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(buf);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            Map<FindingCode, List<Finding>> byCode = new EnumMap<>(FindingCode.class);
            for (Finding f : report.findings()) {
                byCode.computeIfAbsent(f.code(), k -> new ArrayList<>()).add(f);
            }
            int failed = 0;
            for (FindingCode c : FindingCode.values()) {
                if (byCode.getOrDefault(c, List.of()).stream().anyMatch(CiReport::fails)) {
                    failed++;
                }
            }
            int tests = FindingCode.values().length;
            x.writeStartElement("testsuites");
            x.writeAttribute("name", command);
            x.writeAttribute("tests", String.valueOf(tests));
            x.writeAttribute("failures", String.valueOf(failed));
            x.writeAttribute("errors", "0");
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", clean(report.scenario()));
            x.writeAttribute("tests", String.valueOf(tests));
            x.writeAttribute("failures", String.valueOf(failed));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            for (FindingCode c : FindingCode.values()) {
                List<Finding> fs = byCode.getOrDefault(c, List.of());
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "cidrguard.check");
                x.writeAttribute("name", c.name());
                x.writeAttribute("time", "0");
                fs.stream().filter(CiReport::fails).findFirst().flatMap(Finding::location).ifPresent(l -> {
                    try {
                        x.writeAttribute("file", clean(l.file()));
                        if (l.line().isPresent()) {
                            x.writeAttribute("line", String.valueOf(l.line().getAsInt()));
                        }
                    } catch (XMLStreamException e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<String> infos = new ArrayList<>();
                for (Finding f : fs) {
                    if (!fails(f)) {
                        infos.add(describe(f));
                        continue;
                    }
                    x.writeCharacters("\n      ");
                    x.writeStartElement("failure");
                    x.writeAttribute("type", f.severity().name());
                    x.writeAttribute("message", clean(f.message()));
                    x.writeCharacters(clean(describe(f)));
                    x.writeEndElement();
                }
                if (!infos.isEmpty()) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("system-out");
                    x.writeCharacters(clean(String.join("\n", infos)));
                    x.writeEndElement();
                }
                if (!fs.isEmpty()) {
                    x.writeCharacters("\n    ");
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report of " + report.scenario(), e);
        }
        return buf + "\n";
    }

    private static boolean fails(Finding f) {
        return f.severity() != Severity.INFO;
    }

    private static String describe(Finding f) {
        StringBuilder b = new StringBuilder();
        b.append(f.severity()).append(' ').append(f.code());
        f.location().ifPresent(l -> b.append(" at ").append(l));
        b.append('\n').append(f.message());
        if (!f.subjects().isEmpty()) {
            b.append("\nsubjects: ").append(String.join("; ", f.subjects()));
        }
        f.range().ifPresent(r -> b.append("\nrange: ").append(r));
        b.append("\nfix: ").append(f.remedy());
        return b.toString();
    }

    /** The text without the characters XML 1.0 cannot hold (C0 controls other than tab, newline, return). */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF)
                .forEach(b::appendCodePoint);
        return b.toString();
    }

    // ---- GitHub workflow commands ----

    /**
     * The report as GitHub Actions workflow commands, one per finding: {@code ::error} (ERROR), {@code ::warning}
     * (WARNING) or {@code ::notice} (INFO) with {@code file}, {@code line} (when located) and {@code title} (the
     * code), and the message with its fix; then the summary as a plain line. Values are escaped as the runner
     * expects: {@code %}, CR and LF in the message; also {@code :} and {@code ,} in properties.
     */
    static String github(Report report) {
        StringBuilder b = new StringBuilder();
        for (Finding f : report.findings()) {
            b.append("::").append(switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "notice";
            });
            List<String> props = new ArrayList<>();
            f.location().ifPresent(l -> {
                props.add("file=" + property(l.file()));
                l.line().ifPresent(line -> props.add("line=" + line));
            });
            props.add("title=" + property(f.code().name() + f.range().map(r -> " " + r).orElse("")));
            b.append(' ').append(String.join(",", props));
            b.append("::").append(data(f.message() + " Fix: " + f.remedy())).append('\n');
        }
        b.append(report.scenario()).append(": ").append(report.errors()).append(" errors, ")
                .append(report.warnings()).append(" warnings, ").append(report.infos()).append(" infos\n");
        return b.toString();
    }

    /** A workflow command's message: {@code %}, CR and LF escaped. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A workflow command's property value: as {@link #data}, and {@code :} and {@code ,} too. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}

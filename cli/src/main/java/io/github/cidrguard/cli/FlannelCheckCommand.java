package io.github.cidrguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.github.cidrguard.TerminalText;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cidrguard flannel check [FILE|-]}: flannel's verdict on a network config. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"flannel's verdict on a network config (the value of <prefix>/config, or net-conf.json): the "
                + "effective config as flanneld v0.28.9 sees it, with flannel's field names and its defaults filled "
                + "in, or flannel's own error text.",
                "Warns when Network is written with host bits (flannel silently masks them) and about keys flannel "
                + "ignores."},
        footer = {"", "Exit codes: 0 flanneld accepts it, 1 flanneld rejects it (or, with --strict, accepts it with "
                + "a warning), 2 unreadable input.", "",
                "Examples:",
                "  cidrguard flannel check net-conf.json",
                "  echo '{\"Network\": \"10.252.61.0/16\"}' | cidrguard flannel check --format json -"})
final class FlannelCheckCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", arity = "0..1", defaultValue = "-", paramLabel = "FILE|-",
            description = "The config file; - or nothing reads stdin.")
    String file;

    FlannelCheckCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        String text = io.read(file, "flannel network config");
        FlannelConfig cfg;
        try {
            cfg = FlannelConfig.parse(text);
        } catch (FlannelConfigException e) {
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("valid", false);
                o.put("stage", e.stage() == FlannelConfigException.Stage.PARSE ? "ParseConfig" : "CheckNetworkConfig");
                o.put("error", e.flannelMessage());
                o.put("message", e.getMessage());
                io.out.println(Json.MAPPER.writeValueAsString(o));
            } else {
                io.out.println(io.red("flanneld rejects this config") + ": " + TerminalText.line(e.flannelMessage()));
                io.out.println(Text.wrap(TerminalText.line(e.getMessage()), "  "));
            }
            return Exit.FINDINGS;
        }
        List<String> warnings = warnings(cfg);
        if (output.json()) {
            ObjectNode o = Json.object();
            o.put("valid", true);
            ObjectNode c = o.putObject("config");
            for (Map.Entry<String, Object> e : cfg.flannelValues().entrySet()) {
                Object v = e.getValue();
                if (e.getKey().equals("Backend")) {
                    // flanneld keeps Backend as raw bytes (json.RawMessage) that Go's decoder accepted: copied as
                    // they are, so no parser limit of ours (Jackson's nesting depth, number length or string
                    // length) can refuse a config flanneld takes.
                    c.putRawValue("Backend", new RawValue(String.valueOf(v)));
                } else if (v instanceof Boolean b) {
                    c.put(e.getKey(), b);
                } else if (v instanceof Long l) {
                    c.put(e.getKey(), l);
                } else {
                    c.put(e.getKey(), String.valueOf(v));
                }
            }
            o.putPOJO("warnings", warnings);
            io.out.println(Json.MAPPER.writeValueAsString(o));
        } else {
            io.out.println(io.green("flanneld accepts this config") + "; effective values:");
            for (Map.Entry<String, Object> e : cfg.flannelValues().entrySet()) {
                io.out.println("  " + Text.pad(e.getKey(), 15) + TerminalText.block(String.valueOf(e.getValue())));
            }
            for (String w : warnings) {
                io.out.println(Text.wrap(io.yellow("WARNING") + " " + TerminalText.line(w), "  ").replaceFirst("^  ", ""));
            }
        }
        return output.strict && !warnings.isEmpty() ? Exit.FINDINGS : Exit.OK;
    }

    static List<String> warnings(FlannelConfig cfg) {
        List<String> w = new ArrayList<>();
        if (cfg.networkHostBitsSet()) {
            w.add("Network " + cfg.networkAsWritten().orElse("?") + " has host bits set; flannel silently uses "
                    + cfg.network().map(Object::toString).orElse("?") + " (write that, or the range you meant)");
        }
        if (cfg.ipv6NetworkHostBitsSet()) {
            w.add("IPv6Network " + cfg.ipv6NetworkAsWritten().orElse("?") + " has host bits set; flannel silently uses "
                    + cfg.ipv6Network().map(Object::toString).orElse("?"));
        }
        for (String k : cfg.unknownKeys()) {
            w.add("flannel ignores the key " + k + " (misspelt? flannel's keys are Network, SubnetLen, SubnetMin, "
                    + "SubnetMax, Backend, EnableIPv4, EnableIPv6, IPv6Network, …)");
        }
        return w;
    }
}

package io.github.cidrguard.flannel;

import io.github.cidrguard.CidrguardInputException;

/**
 * flanneld would reject this network config. {@link #flannelMessage()} is the error text flanneld v0.28.9 logs
 * (after {@code Couldn't fetch network config: }), verbatim; {@link #getMessage()} adds the stage, an excerpt of the
 * input and what to change.
 */
public final class FlannelConfigException extends CidrguardInputException {
    private static final long serialVersionUID = 1L;
    private static final int EXCERPT = 200;

    /** Where flannel rejects the config. */
    public enum Stage {
        /** {@code ParseConfig}: the JSON does not decode (syntax, types, an unparsable address, the Backend type). */
        PARSE,
        /** {@code CheckNetworkConfig}: the values decode but the network settings are inconsistent. */
        CHECK
    }

    private final Stage stage;
    private final String flannelMessage;

    FlannelConfigException(Stage stage, String flannelMessage, String input) {
        super(null, 0, describe(stage, flannelMessage, input), null);
        this.stage = stage;
        this.flannelMessage = flannelMessage;
    }

    /** The stage that failed: {@link Stage#PARSE} ({@code ParseConfig}) or {@link Stage#CHECK}. */
    public Stage stage() {
        return stage;
    }

    /** flannel's own error text, e.g. {@code network is too small. Minimum useful network prefix is /28}. */
    public String flannelMessage() {
        return flannelMessage;
    }

    private static String describe(Stage stage, String msg, String input) {
        String where = stage == Stage.PARSE ? "ParseConfig" : "CheckNetworkConfig";
        String excerpt = input == null ? "" : input.length() <= EXCERPT ? input
                : input.substring(0, EXCERPT) + "…";
        return "flanneld rejects the network config in " + where + ": " + msg
                + (input == null ? "" : " (config: " + excerpt.replace("\n", "\\n") + ")")
                + "; fix: " + fix(stage, msg);
    }

    private static String fix(Stage stage, String msg) {
        if (stage == Stage.PARSE) {
            if (msg.startsWith("invalid CIDR address") || msg.startsWith("invalid IPv4 CIDR")) {
                return "write Network as a plain IPv4 CIDR string such as \"10.244.0.0/16\" (IPv6Network as e.g."
                        + " \"fd00:10:244::/56\"), with no escapes inside the string";
            }
            if (msg.startsWith("invalid IP")) {
                return "write SubnetMin/SubnetMax as plain IPv4 address strings such as \"10.244.1.0\" (IPv6SubnetMin"
                        + "/Max as IPv6 addresses), with no escapes inside the string";
            }
            if (msg.startsWith("error decoding Backend")) {
                return "write Backend as an object with a string Type, e.g. {\"Type\": \"vxlan\"}";
            }
            if (msg.startsWith("json: cannot unmarshal")) {
                return "use flannel's types: strings for addresses, non-negative integers for SubnetLen and"
                        + " IPv6SubnetLen, true/false for the Enable flags, an object for the whole config";
            }
            return "make the config one valid JSON object (no comments, trailing commas, byte-order mark or trailing"
                    + " text)";
        }
        if (msg.startsWith("please define")) {
            return "set the network of every enabled family (or disable the family)";
        }
        if (msg.contains("too small") || msg.contains("four subnets") || msg.contains("less than")) {
            return "use a wider Network or a longer SubnetLen (SubnetLen at least the network prefix + 2 and at most 30"
                    + " for IPv4, 126 for IPv6)";
        }
        return "choose SubnetMin/SubnetMax inside the Network and on a SubnetLen boundary, or leave them out";
    }
}

package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * 719 configs (this package's table cases plus byte/char mutations of valid configs and lease values, one or two per
 * kind of outcome) with what flannel's own unmodified {@code ParseConfig} + {@code CheckNetworkConfig}
 * ({@code pkg/subnet/config.go}, {@code pkg/ip}), a copy of {@code lease.LeaseAttrs} and the backends' option structs
 * did with them, compiled with Go 1.19 in a scratch directory outside the repository. Left out: inputs with an IPv6
 * group of more than four hex digits (Go 1.19 accepts {@code 08000}; the netip-based parser of Go 1.22+, which
 * flannel v0.28.9 is built with, rejects it) and lease values whose marshalled form has {@code \b}/{@code \f} (Go 1.22
 * writes those short forms). {@code config} holds flannel's fields as printed, {@code _backend} the decoded backend
 * options ({@code ERR …} when they fail to decode), {@code error} "ERR stage text", {@code lease} json.Marshal's bytes
 * or "ERR text".
 */
class FlannelConfigGoCasesTest {

    @Test
    void agreesWithFlannelsOwnCode() throws IOException {
        JsonNode all;
        try (InputStream in = getClass().getResourceAsStream("config-go.json")) {
            all = new ObjectMapper().readTree(in);
        }
        List<String> diffs = new ArrayList<>();
        int n = 0;
        for (JsonNode v : all) {
            n++;
            String json = v.get("json").asText();
            String want;
            if (v.has("error")) {
                want = v.get("error").asText();
            } else {
                Map<String, String> m = new TreeMap<>();
                v.get("config").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
                want = m.toString();
            }
            String got;
            try {
                FlannelConfig c = FlannelConfig.parse(json);
                Map<String, String> m = new TreeMap<>();
                c.flannelValues().forEach((k, val) -> m.put(k, String.valueOf(val)));
                if (v.has("config") && v.get("config").has("_backend")) {
                    m.put("_backend", describe(c.backend()));
                }
                got = m.toString();
            } catch (FlannelConfigException e) {
                got = "ERR " + e.stage().name().toLowerCase(java.util.Locale.ROOT) + " " + e.flannelMessage();
            }
            if (!want.equals(got)) {
                diffs.add(json + "\n  flannel: " + want + "\n  ours:    " + got);
            }
            String lease;
            try {
                lease = LeaseAttrs.parse(json).toJson();
            } catch (LeaseAttrsException e) {
                lease = "ERR " + e.flannelMessage();
            }
            if (!v.get("lease").asText().equals(lease)) {
                diffs.add("lease " + json + "\n  flannel: " + v.get("lease").asText() + "\n  ours:    " + lease);
            }
        }
        assertEquals(719, n);
        assertEquals(List.of(), diffs);
    }

    /** The Go program's one-line summary of the backend options (ASCII values only in the file). */
    private static String describe(Backend b) {
        if (b instanceof Backend.Invalid i) {
            return "ERR " + i.error();
        }
        if (b instanceof Backend.Vxlan x) {
            return "vxlan " + x.vni() + " " + x.port() + " " + x.mtu().orElse(-1) + " " + x.gbp() + " " + x.learning()
                    + " " + x.directRouting();
        }
        if (b instanceof Backend.Udp u) {
            return "udp " + u.port();
        }
        if (b instanceof Backend.Wireguard w) {
            return "wireguard " + w.listenPort() + " " + w.listenPortV6() + " " + w.mtu().orElse(-1) + " " + q(w.psk())
                    + " " + w.persistentKeepaliveSeconds() + " " + q(w.mode());
        }
        if (b instanceof Backend.Ipip i) {
            return "ipip " + i.directRouting();
        }
        if (b instanceof Backend.Ipsec i) {
            return "ipsec " + q(i.psk()) + " " + i.udpEncap() + " " + q(i.espProposal());
        }
        if (b instanceof Backend.TencentVpc t) {
            return "tencent-vpc " + q(t.accessKeyId()) + " " + q(t.accessKeySecret());
        }
        if (b instanceof Backend.Extension e) {
            return "extension " + q(e.preStartupCommand()) + " " + q(e.postStartupCommand()) + " "
                    + q(e.subnetAddCommand()) + " " + q(e.subnetRemoveCommand());
        }
        if (b instanceof Backend.HostGw || b instanceof Backend.Alloc) {
            return b.type();
        }
        return "unknown " + b.type();
    }

    private static String q(String s) {
        return "\"" + s + "\""; // Go's %q of printable ASCII without quotes or backslashes
    }
}

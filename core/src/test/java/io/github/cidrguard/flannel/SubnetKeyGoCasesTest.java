package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.net.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * 2 400 keys (generated and mutated near the grammar's edges) with the results of a Go program that applies flannel's
 * pattern through {@code regexp.FindStringSubmatch}, {@code strconv.ParseUint(…, 10, 5/7)}, {@code net.ParseIP} and
 * prints like {@code MakeSubnetKey}/{@code IP6.String}. The program ran on Go 1.19; keys with an IPv6 group of more
 * than four hex digits were left out, because Go 1.19 accepted {@code 03127} as a group and the netip-based parser
 * of newer Go (flannel v0.28.9 is built with Go 1.25) rejects it. Fields: {@code ip6} is the 16 parsed bytes in hex
 * (absent when the key has no IPv6 part).
 */
class SubnetKeyGoCasesTest {

    @Test
    void agreesWithGo() throws IOException {
        JsonNode all;
        try (InputStream in = getClass().getResourceAsStream("subnet-keys-go.json")) {
            all = new ObjectMapper().readTree(in);
        }
        List<String> diffs = new ArrayList<>();
        for (JsonNode v : all) {
            String key = v.get("key").asText();
            boolean ok = v.get("ok").asBoolean();
            if (SubnetKey.isValid(key) != ok) {
                diffs.add(key + ": Go says ok=" + ok);
                continue;
            }
            if (!ok) {
                continue;
            }
            SubnetKey k = SubnetKey.parse(key);
            String got = k.toString() + " " + k.address() + " " + k.prefixLength() + " " + k.ipv6Address()
                + " " + k.ipv6Subnet().map(c -> c.prefixLength());
            Optional<IpAddress> v6 = Optional.ofNullable(v.get("ip6"))
                .map(h -> IpAddress.fromBytes(HexFormat.of().parseHex(h.asText())));
            Optional<Integer> p6 = Optional.ofNullable(v.get("p6")).map(JsonNode::asInt);
            if (v6.isPresent() && v6.get().isZero() && p6.get() == 0) { // flannel's empty IP6Net: no IPv6 part
                v6 = Optional.empty();
                p6 = Optional.empty();
            }
            String want = v.get("make").asText() + " " + v.get("ip4").asText() + " " + v.get("p4").asInt() + " "
                + v6 + " " + p6;
            if (!want.equals(got)) {
                diffs.add(key + ": Go " + want + ", Java " + got);
            }
        }
        assertEquals(List.of(), diffs);
        assertEquals(true, all.size() > 2400);
    }
}

package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of flannel-config.json (produced by flannel's own code; ported from ../shared/vectors into the test
 * resources so that a clone of this repository alone runs them).
 */
class FlannelConfigVectorsTest {

    static Stream<Arguments> vectors() throws IOException {
        JsonNode all;
        try (var in = FlannelConfigVectorsTest.class.getResourceAsStream("vectors/flannel-config.json")) {
            all = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : all) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    @Test
    void vectorFileHasAllCases() throws IOException {
        assertEquals(25, vectors().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesFlannel(String name, JsonNode c) {
        String json = c.get("json").asText();
        JsonNode expect = c.get("expect");
        if (!c.get("ok").asBoolean()) {
            FlannelConfigException e = assertThrows(FlannelConfigException.class, () -> FlannelConfig.parse(json));
            assertEquals(expect.get("error").asText(), e.flannelMessage());
            assertEquals(expect.get("stage").asText().toUpperCase(java.util.Locale.ROOT), e.stage().name());
            assertTrue(e.getMessage().contains(expect.get("error").asText()));
            return;
        }
        FlannelConfig cfg = FlannelConfig.parse(json);
        Map<String, Object> got = cfg.flannelValues();
        for (Map.Entry<String, JsonNode> e : expect.properties()) {
            JsonNode v = e.getValue();
            Object want = v.isBoolean() ? (Object) v.asBoolean() : v.isNumber() ? (Object) v.asLong() : v.asText();
            assertEquals(want, got.get(e.getKey()), e.getKey());
        }
        for (String k : List.of("Network", "IPv6Network", "SubnetMin", "SubnetMax", "IPv6SubnetMin", "IPv6SubnetMax",
                "Backend")) {
            if (!expect.has(k)) {
                assertFalse(got.containsKey(k), k + " should be unset");
            }
        }
        // the typed accessors agree with the printed values
        assertEquals(expect.get("BackendType").asText(), cfg.backendType());
        assertEquals(expect.get("EnableIPv4").asBoolean(), cfg.enableIPv4());
        assertEquals(expect.get("EnableIPv6").asBoolean(), cfg.enableIPv6());
        assertEquals(expect.get("EnableNFTables").asBoolean(), cfg.enableNFTables());
        if (expect.has("Network")) {
            assertEquals(expect.get("Network").asText(), cfg.network().orElseThrow().toString());
            assertEquals(expect.get("SubnetLen").asInt(), cfg.subnetLen());
            assertEquals(expect.get("SubnetMin").asText(), cfg.subnetMin().orElseThrow().toString());
            assertEquals(expect.get("SubnetMax").asText(), cfg.subnetMax().orElseThrow().toString());
        }
        if (expect.has("IPv6Network")) {
            assertEquals(expect.get("IPv6Network").asText(), cfg.ipv6Network().orElseThrow().toString());
            assertEquals(expect.get("IPv6SubnetLen").asInt(), cfg.ipv6SubnetLen());
            assertEquals(expect.get("IPv6SubnetMin").asText(), cfg.ipv6SubnetMin().orElseThrow().toString());
            assertEquals(expect.get("IPv6SubnetMax").asText(), cfg.ipv6SubnetMax().orElseThrow().toString());
        }
        // and the config survives a round trip through toJson
        assertEquals(cfg, FlannelConfig.parse(cfg.toJson()), cfg.toJson());
    }
}

package io.github.cidrguard.examples;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.net.Cidr;

/** Parse flannel's config as flanneld does, see the host bits it masks, and write a fixed config. */
public final class FixFlannelConfig {
    private FixFlannelConfig() {
    }

    /** Returns the fixed config's JSON. */
    public static String run() {
        FlannelConfig seed = FlannelConfig.parse("{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}");
        System.out.println("written " + seed.networkAsWritten().orElseThrow() + ", flannel uses "
                + seed.network().orElseThrow() + " (host bits set: " + seed.networkHostBitsSet() + ")");
        FlannelConfig fixed = seed.withNetwork(Cidr.parse("10.244.0.0/16"));
        System.out.println("fixed: " + fixed.toJson() + " subnets " + fixed.subnetMin().orElseThrow() + " to "
                + fixed.subnetMax().orElseThrow() + " of /" + fixed.subnetLen());
        try {
            FlannelConfig.parse("{\"Network\": \"10.0.0.0/29\"}");
        } catch (FlannelConfigException e) {
            System.out.println("flanneld would say: " + e.flannelMessage());
        }
        return fixed.toJson();
    }

    public static void main(String[] args) {
        run();
    }
}

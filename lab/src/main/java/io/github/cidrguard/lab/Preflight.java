package io.github.cidrguard.lab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Checks that this machine can run the lab, with an error that says what to install. */
final class Preflight {
    /** Tool → the Debian package that ships it. */
    static final Map<String, String> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("ip", "iproute2");
        TOOLS.put("bridge", "iproute2");
        TOOLS.put("ss", "iproute2");
        TOOLS.put("iptables-restore", "iptables");
        TOOLS.put("iptables-save", "iptables");
        TOOLS.put("ping", "iputils-ping");
        TOOLS.put("socat", "socat");
        TOOLS.put("sysctl", "procps");
        TOOLS.put("timeout", "coreutils");
    }

    private Preflight() {
    }

    /** @throws LabException when not on Linux, not root, or a tool is missing */
    static void check() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new LabException("the kernel lab needs Linux network namespaces; this is " + os);
        }
        if (!isRoot()) {
            throw new LabException("the kernel lab creates network namespaces and needs root (CAP_NET_ADMIN); "
                    + "run it as root, e.g. with sudo");
        }
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> packages = new TreeSet<>();
        for (Map.Entry<String, String> e : TOOLS.entrySet()) {
            if (!onPath(e.getKey())) {
                missing.add(e.getKey());
                packages.add(e.getValue());
            }
        }
        if (!missing.isEmpty()) {
            throw new LabException("the kernel lab needs " + String.join(", ", missing) + "; install with: "
                    + "apt-get install " + String.join(" ", packages));
        }
    }

    /**
     * Checks for {@code nft}, needed only when a node has nftables rules (kube-proxy's nftables mode, flannel's
     * EnableNFTables).
     *
     * @throws LabException naming the package when it is missing
     */
    static void requireNft() {
        if (!onPath("nft")) {
            throw new LabException("this scenario has nftables rules (kube-proxy mode nftables or flannel"
                    + " EnableNFTables) and the kernel lab loads them with nft -f, but nft is missing; install with:"
                    + " apt-get install nftables");
        }
    }

    /**
     * Whether this kernel offers IPVS: {@code /proc/net/ip_vs} exists only when {@code ip_vs} is built in or loaded.
     */
    static boolean ipvs() {
        return Files.exists(Path.of("/proc/net/ip_vs"));
    }

    /**
     * Whether the kernel has br_netfilter (built in or loaded), so a lab node can pass bridged frames through iptables
     * as kube-proxy requires of a node.
     */
    static boolean brNetfilter() {
        return Files.exists(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"));
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}

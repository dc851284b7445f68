package io.github.cidrguard.flannel;

import java.util.OptionalLong;

/**
 * The backend a {@link FlannelConfig} selects, with its options decoded the way the backend decodes them when
 * flanneld registers the network (Linux, v0.28.9): Go's {@code encoding/json} into each backend's own struct, so keys
 * match case-insensitively, unknown keys and {@code Type} are ignored, and {@code null} keeps a default. Go
 * {@code int} options are 64-bit, hence {@code long}. Options whose default is the external interface's MTU are
 * empty when not written.
 *
 * <p>flannel decodes these options only at startup, after the config passed {@code ParseConfig} and
 * {@code CheckNetworkConfig}, so a bad option is not a config error: the backend comes out as {@link Invalid} and
 * {@link FlannelConfig#startupError()} gives the line flanneld logs before it exits.
 */
public sealed interface Backend {

    /** The backend type as flannel looks it up: {@code Backend.Type} lower-cased ({@code strings.ToLower}). */
    String type();

    /**
     * {@code vxlan}: {@code VNI} (default 1, device {@code flannel.<VNI>}), {@code Port} (0 = the kernel's 8472),
     * {@code MTU} (default: the external interface's), {@code GBP}, {@code Learning}, {@code DirectRouting}.
     */
    record Vxlan(long vni, long port, OptionalLong mtu, boolean gbp, boolean learning, boolean directRouting)
            implements Backend {
        @Override
        public String type() {
            return "vxlan";
        }
    }

    /** {@code host-gw}: no options on Linux; refuses to start when the node is behind NAT. */
    record HostGw() implements Backend {
        @Override
        public String type() {
            return "host-gw";
        }
    }

    /** {@code udp} (linux/amd64 only): {@code Port}, default 8285. Also the backend when the Backend key is absent. */
    record Udp(long port) implements Backend {
        @Override
        public String type() {
            return "udp";
        }
    }

    /**
     * {@code wireguard}: {@code ListenPort} (51820), {@code ListenPortV6} (51821), {@code MTU} (interface MTU),
     * {@code PSK} (base64 of 32 bytes, "" = none), {@code PersistentKeepaliveInterval} in whole seconds (0 = off),
     * {@code Mode} ({@code separate} by default; {@code auto}, {@code ipv4}, {@code ipv6}; anything else fails at
     * startup with {@code no valid Mode configured}).
     */
    record Wireguard(long listenPort, long listenPortV6, OptionalLong mtu, String psk,
            long persistentKeepaliveSeconds, String mode) implements Backend {
        @Override
        public String type() {
            return "wireguard";
        }
    }

    /** {@code ipip}: {@code DirectRouting}. */
    record Ipip(boolean directRouting) implements Backend {
        @Override
        public String type() {
            return "ipip";
        }
    }

    /**
     * {@code ipsec}: {@code PSK} (required, at least 96 bytes, else {@code config error, password is too short}),
     * {@code UDPEncap}, {@code ESPProposal} (default {@code aes128gcm16-sha256-prfsha256-ecp256}).
     */
    record Ipsec(String psk, boolean udpEncap, String espProposal) implements Backend {
        @Override
        public String type() {
            return "ipsec";
        }
    }

    /** {@code alloc}: only allocates a subnet; no options. */
    record Alloc() implements Backend {
        @Override
        public String type() {
            return "alloc";
        }
    }

    /**
     * {@code tencent-vpc}: {@code AccessKeyID}, {@code AccessKeySecret} (when either is empty flannel falls back to
     * the environment variables {@code ACCESS_KEY_ID}/{@code ACCESS_KEY_SECRET}).
     */
    record TencentVpc(String accessKeyId, String accessKeySecret) implements Backend {
        @Override
        public String type() {
            return "tencent-vpc";
        }
    }

    /** {@code extension}: four shell commands (split on whitespace by flannel), each "" when not set. */
    record Extension(String preStartupCommand, String postStartupCommand, String subnetAddCommand,
            String subnetRemoveCommand) implements Backend {
        @Override
        public String type() {
            return "extension";
        }
    }

    /**
     * A backend flannel removed in v0.20.0 ({@code aws-vpc}, {@code gce}, {@code ali-vpc}): flanneld v0.28 fails at
     * startup with {@code unknown backend type: <type>}.
     */
    record Removed(String type) implements Backend {
    }

    /**
     * A type flannel has never registered on Linux, including {@code ""} (from {@code "Backend": {}} or
     * {@code null}): flanneld fails at startup with {@code unknown backend type: <type>}.
     */
    record Unknown(String type) implements Backend {
    }

    /**
     * A registered backend whose options do not decode (e.g. {@code "VNI": "1"}); {@code error} is the text flanneld
     * logs after {@code Error registering network: }.
     */
    record Invalid(String type, String error) implements Backend {
    }
}

package io.github.cidrguard.lab;

/**
 * The model the lab checks: it renders each node's netfilter rules and predicts each flow. The tracer is the real
 * one; tests may supply a hand-written one.
 */
interface Oracle {
    /**
     * @param node a node name
     * @return the node's rules in {@code iptables-save} form for {@code iptables-restore}, or empty for none
     */
    String rules(String node);

    /**
     * @param node a node name
     * @return the node's nftables rules in {@code nft list ruleset} form for {@code nft -f}, or empty for none
     */
    default String nftables(String node) {
        return "";
    }

    /**
     * @return true when the model renders and traces IPv6 (then {@link #ip6tables} and {@link #nftables6} are its
     *     rules and {@link #predict} answers IPv6 flows); false: the lab writes flannel's IPv6 rules itself and checks
     *     IPv6 flows against expectations only
     */
    default boolean modelsIpv6() {
        return false;
    }

    /**
     * @param node a node name
     * @return the node's IPv6 rules in {@code ip6tables-save} form, or empty for none
     */
    default String ip6tables(String node) {
        return "";
    }

    /**
     * @param node a node name
     * @return the node's IPv6 nftables tables ({@code table ip6 …}, {@code table inet …}) for {@code nft -f}
     */
    default String nftables6(String node) {
        return "";
    }

    /**
     * @return true when the model also renders kube-proxy's IPv6 rules for the scenario's mode (then IPv6 flows to a
     *     Service are predicted and probed); false: they are skipped
     */
    default boolean modelsServices6() {
        return false;
    }

    /**
     * As {@link #predict(String, String, String)} in one address family: in a dual-stack scenario
     * {@code pod:default/web} and {@code node:node-71} mean their addresses of that family.
     *
     * @param from tracer endpoint syntax
     * @param to tracer endpoint syntax or an IP
     * @param port e.g. {@code 8080/TCP}, or null
     * @param family the flow's family
     * @return the prediction
     */
    default Prediction predict(String from, String to, String port, io.github.cidrguard.net.IpFamily family) {
        return predict(from, to, port);
    }

    /**
     * @param from tracer endpoint syntax ({@code pod:…}, {@code node:…})
     * @param to tracer endpoint syntax or an IP
     * @param port e.g. {@code 8080/TCP}, or null
     * @return the prediction
     */
    Prediction predict(String from, String to, String port);
}

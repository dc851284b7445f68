package io.github.cidrguard.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One packet from a source to a destination and its reply, hop by hop (docs/architecture.md ("Traces")). Immutable.
 */
public final class Trace {
    private final String from;
    private final String to;
    private final String protocol;
    private final Integer port;
    private final Verdict verdict;
    private final Reason reason;
    private final List<Hop> request;
    private final List<Hop> reply;
    private final String explanation;

    Trace(String from, String to, String protocol, Integer port, Verdict verdict, Reason reason, List<Hop> request,
          List<Hop> reply, String explanation) {
        this.from = from;
        this.to = to;
        this.protocol = protocol;
        this.port = port;
        this.verdict = Objects.requireNonNull(verdict);
        this.reason = verdict == Verdict.DELIVERED ? null : reason;
        this.request = List.copyOf(request);
        this.reply = List.copyOf(reply);
        this.explanation = explanation;
    }

    /** The source as resolved, e.g. {@code pod default/jenkins 10.252.100.5 (node-71)}. */
    public String from() {
        return from;
    }

    /** The destination as resolved, e.g. {@code 10.252.158.72} or {@code svc default/jenkins 10.252.77.85:80/TCP}. */
    public String to() {
        return to;
    }

    /** {@code ICMP}, {@code TCP}, {@code UDP} or {@code SCTP}. */
    public String protocol() {
        return protocol;
    }

    /** The destination port, empty for ICMP. */
    public Optional<Integer> port() {
        return Optional.ofNullable(port);
    }

    /** The outcome. */
    public Verdict verdict() {
        return verdict;
    }

    /** Why it was not delivered; empty when {@link Verdict#DELIVERED}. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /** The request's hops, in order. */
    public List<Hop> request() {
        return request;
    }

    /** The reply's hops, in order (empty when the request never reached the destination's owner). */
    public List<Hop> reply() {
        return reply;
    }

    /** What happened and why, in a sentence or two. */
    public String explanation() {
        return explanation;
    }

    /** The trace as docs/architecture.md ("Traces") JSON. */
    public String toJson() {
        return Json.write(tree());
    }

    ObjectNode tree() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("from", from);
        o.put("to", to);
        o.put("protocol", protocol);
        if (port != null) {
            o.put("port", port);
        }
        o.put("verdict", verdict.name());
        if (reason == null) {
            o.putNull("reason");
        } else {
            o.put("reason", reason.name());
        }
        o.set("request", hops(request));
        o.set("reply", hops(reply));
        o.put("explanation", explanation);
        return o;
    }

    private static ArrayNode hops(List<Hop> hops) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Hop h : hops) {
            ObjectNode o = a.addObject();
            o.put("node", h.node());
            o.put("stage", h.stage());
            o.put("rule", h.rule());
            o.put("action", h.action());
            o.put("packet", h.packet());
        }
        return a;
    }

    @Override
    public String toString() {
        return from + " -> " + to + " " + protocol + (port == null ? "" : "/" + port) + ": " + verdict
                + (reason == null ? "" : " (" + reason + ")");
    }
}

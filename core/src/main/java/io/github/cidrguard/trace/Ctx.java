package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.netfilter.Environment;
import io.github.cidrguard.trace.netfilter.Packet;

/** The state of one packet through the hooks of one node, and the node facts its rules ask about. */
final class Ctx implements Environment {
    final NodePlane node;
    Packet packet;
    final String iif;
    final boolean ctNew;
    boolean masquerade;
    boolean dnat;
    IpAddress oifAddress;

    Ctx(NodePlane node, Packet packet, String iif, boolean ctNew) {
        this.node = node;
        this.packet = packet;
        this.iif = iif;
        this.ctNew = ctNew;
    }

    @Override
    public String inInterface() {
        return iif;
    }

    @Override
    public boolean newConnection() {
        return ctNew;
    }

    @Override
    public boolean isLocal(IpAddress a) {
        return node.isLocal(a);
    }

    @Override
    public boolean ipsetContains(String set, String flags, Packet p) {
        return node.ipsetContains(set, flags, p);
    }

    /** As the kernel's rpfilter match: a FIB lookup of the source; a local source fails (no --accept-local). */
    @Override
    public boolean reversePathOk(Packet p, boolean loose) {
        if (iif == null || iif.equals("lo")) {
            return true;
        }
        io.github.cidrguard.trace.routing.Route back = node.lookup(p.src());
        return back != null && !back.local() && (loose || back.dev().equals(iif));
    }

    @Override
    public IpAddress masqueradeAddress() {
        return oifAddress;
    }
}

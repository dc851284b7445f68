package io.github.cidrguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProberTest {
    @Test
    void parsesSnmpHeaderValuePairs() {
        Map<String, Long> m = Prober.parseSnmp("Icmp: InMsgs OutEchoReps\nIcmp: 3 2\n"
                + "TcpExt: SyncookiesSent IPReversePathFilter\nTcpExt: 0 7\n");
        assertEquals(2L, m.get("Icmp.OutEchoReps"));
        assertEquals(7L, m.get("TcpExt.IPReversePathFilter"));
    }

    @Test
    void parsesIptablesSaveCountersAndNumbersDuplicates() {
        Map<String, Long> m = Prober.parseCounters("*nat\n:POSTROUTING ACCEPT [0:0]\n"
                + "[4:386] -A POSTROUTING -j FLANNEL-POSTRTG\n[1:84] -A X -j RETURN\n[2:84] -A X -j RETURN\nCOMMIT\n");
        assertEquals(4L, m.get("1\t-A POSTROUTING -j FLANNEL-POSTRTG"));
        assertEquals(1L, m.get("1\t-A X -j RETURN"));
        assertEquals(2L, m.get("2\t-A X -j RETURN"));
    }

    @Test
    void readsVxlanCollisionsAndUnresolvedArp() {
        String dev = "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|"
                + "bytes packets errs drop fifo colls carrier compressed\n"
                + "    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 9 0 0\n"
                + "flannel.1: 0 0 0 0 0 0 0 0 0 0 2 7 0 2 0 0\n";
        assertEquals(2L, Prober.vxlanCollisions(dev));
        String arp = "IP address       HW type     Flags       HW address            Mask     Device\n"
                + "10.252.158.71    0x1         0x0         00:00:00:00:00:00     *        eth0\n"
                + "10.252.158.72    0x1         0x2         0e:2a:00:00:00:01     *        eth0\n";
        assertEquals(java.util.Set.of("10.252.158.71"), Prober.unresolvedArp(arp));
    }

    @Test
    void listenerIdentityRoundTrips() {
        assertEquals("pod:default/busybox", LabNetwork.keyOf(LabNetwork.identity("pod:default/busybox")));
    }
}

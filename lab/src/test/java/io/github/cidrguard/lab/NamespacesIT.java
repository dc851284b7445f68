package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep removes namespaces of dead labs and leaves live ones (and everything not named like a lab) alone. */
class NamespacesIT {
    @Test
    void sweepRemovesOnlyNamespacesOfDeadLabs() {
        Preflight.check();
        long dead = deadPid();
        String stale = "cg" + dead + "x1-lan";
        String live = "cg" + ProcessHandle.current().pid() + "x999999-lan";
        Exec.check(List.of("ip", "netns", "add", stale));
        Exec.check(List.of("ip", "netns", "add", live));
        try {
            List<String> removed = Namespaces.sweepStale();
            assertTrue(removed.contains(stale), removed::toString);
            assertFalse(Namespaces.list().contains(stale));
            assertTrue(Namespaces.list().contains(live), "a live lab's namespace must survive the sweep");
        } finally {
            Namespaces.delete(stale);
            Namespaces.delete(live);
        }
        assertFalse(Namespaces.list().contains(live));
    }

    @Test
    void leftBehindNamesANamespaceOfAFinishedLabAndNothingOfALiveOne() {
        Preflight.check();
        LabSpec spec = new LabSpec("one node", LabSpec.Backend.HOST_GW, 1, List.of(new LabSpec.Node("node-1",
                "192.0.2.1", 24, null, RpFilter.STRICT, "")), List.of(), Set.of());
        String leaked;
        try (LabNetwork live = LabNetwork.build(spec)) {
            leaked = live.prefix() + "-zz";
            Exec.check(List.of("ip", "netns", "add", leaked));
            assertFalse(Namespaces.leftBehind().stream().anyMatch(n -> n.startsWith(live.prefix() + "-")),
                    "a running lab's namespaces are not left behind");
        }
        try {
            assertEquals(List.of(leaked), Namespaces.leftBehind().stream().filter(leaked::equals).toList());
        } finally {
            Namespaces.delete(leaked);
        }
        assertFalse(Namespaces.leftBehind().contains(leaked));
    }

    private static long deadPid() {
        for (long p = 4_000_000; ; p--) {
            if (ProcessHandle.of(p).isEmpty()) {
                return p;
            }
        }
    }
}

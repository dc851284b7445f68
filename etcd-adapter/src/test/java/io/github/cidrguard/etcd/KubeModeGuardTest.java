package io.github.cidrguard.etcd;

import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import io.github.cidrguard.kube.SubnetManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter's plans refuse a kube-mode scenario before reading etcd (FlannelEtcd.requireEtcdMode). */
class KubeModeGuardTest {
    private static Scenario scenario(SubnetManager m) {
        return Scenario.builder("k3s").node(Node.of("n1", "10.0.0.11"))
                .flannel(Flannel.of("{\"Network\": \"10.42.0.0/16\"}").withSubnetManager(m)).build();
    }

    @Test
    void kubeModeIsRefusedWithTheFix() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> FlannelEtcd.requireEtcdMode(scenario(SubnetManager.KUBE)));
        assertTrue(e.getMessage().startsWith("k3s: the scenario is in kube mode")
                && e.getMessage().contains("net-conf.json"), e.getMessage());
    }

    @Test
    void etcdModeAndNoScenarioPass() {
        assertDoesNotThrow(() -> FlannelEtcd.requireEtcdMode(scenario(SubnetManager.ETCD)));
        assertDoesNotThrow(() -> FlannelEtcd.requireEtcdMode(null));
    }
}

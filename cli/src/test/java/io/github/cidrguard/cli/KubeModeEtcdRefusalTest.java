package io.github.cidrguard.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The etcd commands refuse a kube-mode scenario (flanneld --kube-subnet-mgr keeps nothing in etcd) as bad input,
 * before any etcd call: the endpoint given is a closed port, which would be exit 3 if it were contacted.
 */
class KubeModeEtcdRefusalTest {
    @ParameterizedTest
    @ValueSource(strings = {"check", "set-network"})
    void etcdCommandsRefuseKubeModeScenarios(String command) throws Exception {
        String file = Run.scenario("kube/k3s-home-lan.yaml");
        String[] args = command.equals("check")
                ? new String[] {"etcd", "check", "--scenario", file, "--endpoints", EtcdCommandTest.deadEndpoint()}
                : new String[] {"etcd", "set-network", "10.50.0.0/16", "--scenario", file, "--endpoints",
                        EtcdCommandTest.deadEndpoint()};
        Run r = Run.of(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the scenario is in kube mode") && r.err().contains("net-conf.json"), r.err());
        assertTrue(!r.err().contains("unreachable"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed.yaml", "clean.yaml"})
    void etcdModeScenariosStillReachEtcd(String name) throws Exception {
        Run r = Run.of("etcd", "check", "--scenario", Run.scenario(name), "--endpoints",
                EtcdCommandTest.deadEndpoint(), "--timeout", "1");
        assertEquals(3, r.code(), r.out() + r.err());
    }
}

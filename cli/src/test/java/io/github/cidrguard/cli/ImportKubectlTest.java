package io.github.cidrguard.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cidrguard import --kubectl}. There is no API server on the build machines, so a stand-in executable named
 * {@code kubectl} is put first on the PATH of the command's environment: it answers each call with a recording of
 * real kubectl output (core's import fixtures: k3s nodes and services, MetalLB pools, ServiceCIDRs), answers the
 * ConfigMaps with kubectl's NotFound and Cilium's pools with "doesn't have a resource type", or fails as kubectl
 * does when unauthorised or hangs. What is tested is our process handling (arguments, deadline, exit codes) and the
 * parsing of the recordings, not kubectl.
 */
class ImportKubectlTest {
    @TempDir
    Path dir;
    private Path log;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void standIn() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path kubectl = bin.resolve("kubectl");
        try (InputStream in = ImportKubectlTest.class.getResourceAsStream("kubectl-standin.sh")) {
            Files.write(kubectl, in.readAllBytes());
        }
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("calls.log");
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("STANDIN_DIR", Run.file("core/src/test/resources/io/github/cidrguard/ingest/import"));
        env.put("STANDIN_LOG", log.toString());
        env.put("STANDIN_MODE", "ok");
    }

    @Test
    void fetchesEverySourceOnceWithTheContextAndADeadline() throws IOException {
        Run r = Run.withEnv("", env, "import", "--kubectl", "--context", "home", "--name", "k3s");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains("flannel:"), "k3s has no kube-flannel-cfg ConfigMap: " + r.out());
        assertTrue(r.out().contains("loadBalancerPools:") && r.out().contains("metallb-system/lan"), r.out());
        assertTrue(r.out().contains("10.96.0.0/12,fd00:10:96::/112"), r.out());
        assertTrue(r.out().contains("loadBalancerIps:"), r.out());
        String err = r.err().replaceAll("\\s*\\n\\s*", " ");
        assertTrue(err.contains("note: Cilium LB IPAM pools skipped: kubectl get"
                + " ciliumloadbalancerippools.cilium.io -o json says error: the server doesn't have a resource type"), err);
        assertTrue(err.contains("no kube-flannel-cfg ConfigMap"), err);
        List<String> calls = Files.readAllLines(log);
        assertEquals(10, calls.size(), calls.toString());
        assertTrue(calls.stream().allMatch(c -> c.startsWith("--context=home --request-timeout=30s ")), calls
                .toString());
        Run check = Run.withStdin(r.out(), "check", "-");
        assertEquals(1, check.code(), check.out());
        assertTrue(check.out().contains("LOAD_BALANCER_POOL_OVERLAP"), check.out());
    }

    @Test
    void theFlannelConfigMapAndTheNodeAnnotationsMakeItKubeMode() throws IOException {
        env.put("STANDIN_FLANNEL_CM", "yes");
        Run r = Run.withEnv("", env, "import", "--kubectl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("subnetManager: kube") && r.out().contains("\"Type\": \"host-gw\""), r.out());
        // k3s-2's flanneld still reports vxlan: kept as the node's backend
        assertTrue(r.out().contains("backend: vxlan") && r.out().contains("publicIp: 203.0.113.72"), r.out());
        assertEquals(9, Files.readAllLines(log).size(), "the kube-system fallback is not asked for");
        Run etcd = Run.withStdin(r.out(), "etcd", "check", "--scenario", "-");
        assertEquals(2, etcd.code(), etcd.err());
    }

    @Test
    void missingKubectlExitsThreeNamingIt() throws IOException {
        env.put("PATH", Files.createDirectory(dir.resolve("empty")).toString());
        Run r = Run.withEnv("", env, "import", "--kubectl");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("kubectl is not on the PATH"), r.err());
    }

    @Test
    void unauthorisedExitsThreeNamingTheCommand() {
        env.put("STANDIN_MODE", "unauthorized");
        Run r = Run.withEnv("", env, "import", "--kubectl", "--kubeconfig", "/tmp/none.yaml");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("kubectl get nodes -o json failed (exit 1): error: You must be logged in to the"
                + " server (Unauthorized)"), r.err());
    }

    @Test
    void aHangingKubectlIsStoppedAtItsDeadline() {
        env.put("STANDIN_MODE", "slow");
        long t0 = System.nanoTime();
        Run r = Run.withEnv("", env, "import", "--kubectl", "--kubectl-timeout", "1");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("kubectl get nodes -o json did not answer within 1 s"), r.err());
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void usageMistakesAreExitTwo() {
        assertEquals(2, Run.withEnv("", env, "import", "--context", "home", "--nodes", "x.json").code());
        assertEquals(2, Run.withEnv("", env, "import", "--kubectl", "--nodes", "x.json").code());
        assertEquals(2, Run.withEnv("", env, "import", "--kubectl", "--kubectl-timeout", "0").code());
    }
}

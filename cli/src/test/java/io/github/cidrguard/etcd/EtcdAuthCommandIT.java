package io.github.cidrguard.etcd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The etcd commands' credentials against an etcd with auth on (set up as in the adapter's EtcdAuthIT: root, and a
 * user flannel whose role covers only {@code /coreos.com/network/}): from flags or from the environment; a wrong
 * password and a prefix outside the role are exit 3 naming the cause, never showing the password.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdAuthCommandIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final String ROOT_PASSWORD = "root-Pa55";
    static final String PASSWORD = "flannel-Pa55-word";
    static final String CONFIG = "{\"Network\": \"10.96.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";

    @BeforeAll
    static void enableAuth() {
        ETCD.cluster().etcdctl("put", "/coreos.com/network/config", CONFIG);
        ETCD.cluster().etcdctl("put", "/other/network/config", CONFIG);
        ETCD.cluster().enableAuth(ROOT_PASSWORD, "flannel", PASSWORD, "/coreos.com/network");
    }

    static Cli.Result cli(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", ETCD.cluster().endpoints().get(0), "--timeout", "3"));
        return Cli.run(env, all);
    }

    @Test
    void rootAndTheFlannelUserWorkWithFlags() {
        Cli.Result root = cli(Map.of(), "etcd", "show", "--user", "root", "--password", ROOT_PASSWORD);
        assertEquals(0, root.code(), root.both());
        assertTrue(root.out().contains(CONFIG), root.out());
        Cli.Result check = cli(Map.of(), "etcd", "check", "--user", "flannel", "--password", PASSWORD, "--format",
                "json");
        assertEquals(0, check.code(), check.both());
        assertTrue(check.out().contains("\"errors\":0"), check.out());
        Cli.Result watch = cli(Map.of(), "etcd", "watch", "--count", "1", "--user", "flannel", "--password", PASSWORD);
        assertEquals(0, watch.code(), watch.both());
        assertTrue(watch.out().contains("10.96.0.0/16"), watch.out());
    }

    @Test
    void userAndPasswordFromTheEnvironment() {
        Cli.Result both = cli(Map.of("CIDRGUARD_ETCD_USER", "flannel", "CIDRGUARD_ETCD_PASSWORD", PASSWORD),
                "etcd", "show");
        assertEquals(0, both.code(), both.both());
        assertTrue(both.out().contains(CONFIG), both.out());
        Cli.Result passwordOnly = cli(Map.of("CIDRGUARD_ETCD_PASSWORD", PASSWORD), "etcd", "show", "--user",
                "flannel");
        assertEquals(0, passwordOnly.code(), passwordOnly.both());
        Cli.Result flagWins = cli(Map.of("CIDRGUARD_ETCD_PASSWORD", "stale"), "etcd", "show", "--user", "flannel",
                "--password", PASSWORD);
        assertEquals(0, flagWins.code(), "--password beats the environment: " + flagWins.both());
    }

    @Test
    void aWrongPasswordIsExitThreeNamingTheUserNotThePassword() {
        Cli.Result r = cli(Map.of(), "etcd", "show", "--user", "flannel", "--password", "wrong-Secret");
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().startsWith("cidrguard etcd show: warning: --password on the command line"), r.err());
        assertTrue(r.err().contains("\ncidrguard etcd show: get "), r.err());
        assertTrue(r.err().contains("did not accept user flannel"), r.err());
        assertTrue(r.err().contains("Check the user name and password"), r.err());
        assertFalse(r.err().contains("wrong-Secret"), r.err());
        Cli.Result env = cli(Map.of("CIDRGUARD_ETCD_USER", "flannel", "CIDRGUARD_ETCD_PASSWORD", "wrong-Secret"),
                "etcd", "watch", "--count", "1");
        assertEquals(3, env.code(), env.both());
        assertTrue(env.err().contains("did not accept user flannel"), env.err());
        assertFalse(env.err().contains("wrong-Secret"), env.err());
    }

    @Test
    void aPrefixOutsideTheUsersRoleIsExitThreePermissionDenied() {
        Cli.Result r = cli(Map.of(), "etcd", "check", "--user", "flannel", "--password", PASSWORD,
                "--prefix", "/other/network");
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().contains("denied user flannel"), r.err());
        assertTrue(r.err().contains("grant-permission <role> --prefix=true readwrite /other/network/"), r.err());
        assertFalse(r.err().contains(PASSWORD), r.err());
    }

    @Test
    void noCredentialsOnAnAuthEnabledEtcdIsExitThreeSayingAuthIsOn() {
        Cli.Result r = cli(Map.of(), "etcd", "show");
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().contains("did not accept an anonymous client"), r.err());
        assertTrue(r.err().contains("etcd has auth enabled"), r.err());
    }
}

package io.github.cidrguard.cli;

import io.github.cidrguard.etcd.EtcdSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** How to reach etcd, mixed into every {@code etcd} command (etcdctl's flag names where they exist). */
final class EtcdOptions {
    static final String PASSWORD_ENV = "CIDRGUARD_ETCD_PASSWORD";

    /** The command this is mixed into, to name it in the warning. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--endpoints", paramLabel = "URLS", defaultValue = "http://127.0.0.1:2379",
            description = "etcd endpoints, comma separated (default ${DEFAULT-VALUE}); https:// for TLS.")
    String endpoints;

    @Option(names = "--cacert", paramLabel = "FILE", description = "CA certificate of the etcd servers (TLS).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (TLS client auth).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Client private key, PKCS#8 PEM (TLS client auth).")
    Path key;

    @Option(names = "--user", paramLabel = "NAME", description = "etcd user (or env CIDRGUARD_ETCD_USER).")
    String user;

    @Option(names = "--password", paramLabel = "SECRET", interactive = false,
            description = "etcd password; better: env " + PASSWORD_ENV + ", which keeps it out of ps.")
    String password;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = EtcdSettings.DEFAULT_PREFIX,
            description = "flannel's etcd prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Deadline of each etcd call in seconds (default ${DEFAULT-VALUE}).")
    double timeout;

    /**
     * As {@link #settings(Map)}, warning on stderr when the password came on the command line: every user of the
     * machine can read it in {@code ps} (and it lands in shell history).
     */
    EtcdSettings settings(Io io) {
        if (password != null) {
            io.err.println((mixee == null ? "cidrguard etcd" : mixee.qualifiedName()) + ": warning: --password on the command line is visible to every user of this"
                    + " machine (ps, /proc/<pid>/cmdline) and stays in shell history; set env " + PASSWORD_ENV
                    + " instead");
            io.err.flush();
        }
        return settings(io.env);
    }

    EtcdSettings settings(Map<String, String> env) {
        // gRPC logs its transport choices through java.util.logging at INFO: not for the command's stderr
        java.util.logging.Logger.getLogger("io.grpc").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.netty").setLevel(java.util.logging.Level.WARNING);
        if (timeout <= 0) {
            throw new UserInputException("--timeout " + timeout + " must be positive, e.g. --timeout 5");
        }
        if ((cert == null) != (key == null)) {
            throw new UserInputException("--cert and --key go together: give both for TLS client auth, or neither");
        }
        List<String> urls = Arrays.stream(endpoints.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        long https = urls.stream().filter(u -> u.startsWith("https://")).count();
        if (https > 0 && https == urls.size() && cacert == null) {
            throw new UserInputException("--endpoints " + endpoints + " speak TLS: give --cacert FILE, the CA that "
                    + "signed etcd's server certificate (as for etcdctl)");
        }
        if (https == 0 && !urls.isEmpty() && (cacert != null || cert != null)) {
            throw new UserInputException("--cacert, --cert and --key are for TLS, but --endpoints " + endpoints
                    + " are plain http://; write https:// URLs for a TLS etcd, or drop the TLS flags");
        }
        readable("--cacert", cacert, "the CA certificate (PEM)");
        readable("--cert", cert, "the client certificate (PEM)");
        readable("--key", key, "the client private key (PKCS#8 PEM)");
        EtcdSettings.Builder b = EtcdSettings.builder().endpoints(urls).prefix(prefix)
                .callTimeout(Duration.ofMillis((long) (timeout * 1000)));
        if (cacert != null) {
            b.caFile(cacert);
        }
        if (cert != null) {
            b.clientCertificate(cert, key);
        }
        String u = user != null ? user : env.get("CIDRGUARD_ETCD_USER");
        String p = password != null ? password : env.get(PASSWORD_ENV);
        if (u != null) {
            if (p == null) {
                throw new UserInputException("--user " + u + " needs a password: set env " + PASSWORD_ENV
                        + " (or --password)");
            }
            b.credentials(u, p);
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            // What the builder still refuses (e.g. http:// and https:// mixed) is a contradiction among the flags,
            // found before etcd is asked: bad input, not an internal error.
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** A TLS file flag names a file this process can read, or the command stops before dialling etcd. */
    private static void readable(String flag, Path file, String what) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new UserInputException(flag + " " + file + ": no such readable file; give the path of " + what);
        }
    }
}

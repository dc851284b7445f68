package io.github.cidrguard.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test certificates made with openssl: a CA, a server and a client cert, and a rogue CA
 * with its own client cert for the negative cases. */
final class Certs {

    private Certs() {
    }

    static void generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\n"
                    + "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n");
            Files.writeString(dir.resolve("client.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ca(dir, "ca");
        ca(dir, "rogue-ca");
        leaf(dir, "server", "ca", "server.ext");
        leaf(dir, "client", "ca", "client.ext");
        leaf(dir, "rogue-client", "rogue-ca", "client.ext");
    }

    private static void ca(Path dir, String name) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "1",
                "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=cidrguard-test-" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void leaf(Path dir, String name, String ca, String ext) {
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=cidrguard-test-" + name);
        openssl(dir, "x509", "-req", "-sha256", "-days", "1", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey",
                ca + ".key", "-CAcreateserial", "-out", name + ".crt", "-extfile", ext);
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl failed (apt-get install openssl): " + cmd + "\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("openssl not found: apt-get install openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

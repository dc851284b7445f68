package io.github.cidrguard.etcd;

import io.github.cidrguard.flannel.FlannelPaths;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach flannel's etcd: endpoints, TLS files, credentials, key prefix and deadlines. Immutable; built with
 * {@link #builder()}. {@link #toString()} never shows the password.
 *
 * <p>Defaults: key prefix {@value #DEFAULT_PREFIX} (flanneld's {@code --etcd-prefix} default), connect and per-call
 * deadline 5 s each.
 */
public final class EtcdSettings {

    /** flanneld's default {@code --etcd-prefix}. */
    public static final String DEFAULT_PREFIX = "/coreos.com/network";

    /** The default connect and per-call deadline. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final List<URI> endpoints;
    private final Path caFile;
    private final Path certFile;
    private final Path keyFile;
    private final String user;
    private final String password;
    private final String prefix;
    private final Duration connectTimeout;
    private final Duration callTimeout;

    private EtcdSettings(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.caFile = b.caFile;
        this.certFile = b.certFile;
        this.keyFile = b.keyFile;
        this.user = b.user;
        this.password = b.password;
        this.prefix = b.prefix == null ? DEFAULT_PREFIX : b.prefix;
        this.connectTimeout = b.connectTimeout == null ? DEFAULT_TIMEOUT : b.connectTimeout;
        this.callTimeout = b.callTimeout == null ? DEFAULT_TIMEOUT : b.callTimeout;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the client URLs, as given (e.g. {@code https://10.0.0.5:2379}) */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** @return the endpoints as one comma-separated string, for messages */
    String endpointList() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    /** @return the CA bundle that verifies the servers, when TLS is on */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /** @return the client certificate (PEM) for mutual TLS, when set */
    public Optional<Path> certFile() {
        return Optional.ofNullable(certFile);
    }

    /** @return the client private key (PKCS#8 PEM) for mutual TLS, when set */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** @return the etcd user name, when authentication is used */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The password, for the client only: deliberately not public. */
    String password() {
        return password;
    }

    /** @return true when the endpoints speak TLS */
    public boolean tls() {
        return caFile != null;
    }

    /** @return the key prefix, without a trailing slash (flanneld's {@code --etcd-prefix}) */
    public String prefix() {
        return prefix;
    }

    /**
     * @return the config key, {@code <prefix>/config}, joined as flanneld joins it (Go's {@code path.Join}, so
     *     {@code /coreos.com//network} gives {@code /coreos.com/network/config}): see {@link FlannelPaths#configKey}
     */
    public String configKey() {
        return FlannelPaths.configKey(prefix);
    }

    /**
     * @return the lease directory, {@code <prefix>/subnets/}, its prefix joined as flanneld joins it (see
     *     {@link FlannelPaths#subnetsKey})
     */
    public String subnetsPrefix() {
        return FlannelPaths.subnetsKey(prefix) + "/";
    }

    /** @return how long establishing a connection may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return how long one public call of {@link FlannelEtcd} may take, retries included */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** Shows everything but the password. */
    @Override
    public String toString() {
        return "EtcdSettings{endpoints=" + endpointList() + ", prefix=" + prefix
                + (caFile != null ? ", ca=" + caFile : "")
                + (certFile != null ? ", cert=" + certFile + ", key=" + keyFile : "")
                + (user != null ? ", user=" + user + ", password=****" : "")
                + ", connectTimeout=" + connectTimeout + ", callTimeout=" + callTimeout + "}";
    }

    /**
     * Collects settings; each option may be set once ("already set" otherwise) and contradictory options are
     * refused at {@link #build()} ("cannot combine"). Not thread-safe.
     */
    public static final class Builder {

        private final List<URI> endpoints = new ArrayList<>();
        private Path caFile;
        private Path certFile;
        private Path keyFile;
        private String user;
        private String password;
        private String prefix;
        private Duration connectTimeout;
        private Duration callTimeout;

        private Builder() {
        }

        /**
         * The client URLs, {@code http://host:port} or {@code https://host:port}, all of one scheme.
         *
         * @param urls one or more URLs
         * @return this builder
         * @throws IllegalStateException when endpoints were already set
         * @throws IllegalArgumentException when a URL is not {@code http(s)://host:port}
         */
        public Builder endpoints(String... urls) {
            Objects.requireNonNull(urls, "urls");
            if (!endpoints.isEmpty()) {
                throw new IllegalStateException("endpoints were already set to " + endpoints + "; set them once, all together");
            }
            if (urls.length == 0) {
                throw new IllegalArgumentException("endpoints: give at least one URL such as http://127.0.0.1:2379");
            }
            for (String url : urls) {
                endpoints.add(endpoint(url));
            }
            return this;
        }

        /**
         * The client URLs as a list; see {@link #endpoints(String...)}.
         *
         * @param urls one or more URLs
         * @return this builder
         * @throws IllegalStateException when endpoints were already set
         * @throws IllegalArgumentException when a URL is not {@code http(s)://host:port}
         */
        public Builder endpoints(List<String> urls) {
            return endpoints(urls.toArray(String[]::new));
        }

        private static URI endpoint(String url) {
            Objects.requireNonNull(url, "endpoint");
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("endpoint '" + url + "' is not a URL: " + e.getMessage()
                        + "; write it as http://host:2379 or https://host:2379", e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() < 0) {
                throw new IllegalArgumentException("endpoint '" + url
                        + "' must be http://host:port or https://host:port (etcd client URL with an explicit port)");
            }
            return uri;
        }

        /**
         * Turns TLS on: the CA bundle that verifies the servers.
         *
         * @param caFile PEM file
         * @return this builder
         * @throws IllegalStateException when a CA was already set
         */
        public Builder caFile(Path caFile) {
            Objects.requireNonNull(caFile, "caFile");
            if (this.caFile != null) {
                throw new IllegalStateException("caFile was already set to " + this.caFile);
            }
            this.caFile = caFile;
            return this;
        }

        /**
         * The client certificate and key for mutual TLS (needs {@link #caFile(Path)}).
         *
         * @param certFile PEM certificate
         * @param keyFile PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}, as OpenSSL 3 writes)
         * @return this builder
         * @throws IllegalStateException when a client certificate was already set
         */
        public Builder clientCertificate(Path certFile, Path keyFile) {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            if (this.certFile != null) {
                throw new IllegalStateException("clientCertificate was already set to " + this.certFile);
            }
            this.certFile = certFile;
            this.keyFile = keyFile;
            return this;
        }

        /**
         * etcd user and password (etcd's own auth, {@code etcdctl --user}).
         *
         * @param user user name
         * @param password password; never shown by toString, logs or messages
         * @return this builder
         * @throws IllegalStateException when credentials were already set
         */
        public Builder credentials(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (this.user != null) {
                throw new IllegalStateException("credentials were already set for user " + this.user);
            }
            if (user.isEmpty()) {
                throw new IllegalArgumentException("credentials: the user name is empty; give the etcd user name");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * The key prefix, as flanneld's {@code --etcd-prefix}; a trailing slash is dropped.
         *
         * @param prefix starts with {@code /}
         * @return this builder
         * @throws IllegalStateException when the prefix was already set
         * @throws IllegalArgumentException when it does not start with {@code /}
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (this.prefix != null) {
                throw new IllegalStateException("prefix was already set to " + this.prefix);
            }
            // "/" is the root itself (flanneld's --etcd-prefix=/ gives /config and /subnets/…); elsewhere a trailing
            // slash changes nothing, as flanneld joins with path.Join
            String p = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("prefix '" + prefix + "' must start with / (flanneld's default is "
                        + DEFAULT_PREFIX + ")");
            }
            this.prefix = p;
            return this;
        }

        /**
         * @param timeout how long establishing a connection may take (positive)
         * @return this builder
         * @throws IllegalStateException when already set
         */
        public Builder connectTimeout(Duration timeout) {
            if (this.connectTimeout != null) {
                throw new IllegalStateException("connectTimeout was already set to " + this.connectTimeout);
            }
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * @param timeout how long one public call may take, retries included (positive)
         * @return this builder
         * @throws IllegalStateException when already set
         */
        public Builder callTimeout(Duration timeout) {
            if (this.callTimeout != null) {
                throw new IllegalStateException("callTimeout was already set to " + this.callTimeout);
            }
            this.callTimeout = positive("callTimeout", timeout);
            return this;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + d + " must be positive and below 24 days");
            }
            return d;
        }

        /**
         * @return the settings
         * @throws IllegalStateException when no endpoint is set, or options cannot be combined (TLS with http://,
         *     https:// without a CA, a client certificate without a CA, unreadable files)
         */
        public EtcdSettings build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("no etcd endpoint set; call endpoints(\"http://127.0.0.1:2379\")");
            }
            long https = endpoints.stream().filter(u -> "https".equals(u.getScheme())).count();
            if (https != 0 && https != endpoints.size()) {
                throw new IllegalStateException("cannot combine http:// and https:// endpoints " + endpoints
                        + "; use one scheme for the whole cluster");
            }
            if (caFile != null && https == 0) {
                throw new IllegalStateException("cannot combine caFile with http:// endpoints " + endpoints
                        + "; use https:// URLs for a TLS cluster");
            }
            if (https != 0 && caFile == null) {
                throw new IllegalStateException("https:// endpoints " + endpoints
                        + " need caFile(...) (the CA that signed the etcd server certificates)");
            }
            if (certFile != null && caFile == null) {
                throw new IllegalStateException("cannot combine clientCertificate without caFile; set the CA too");
            }
            for (Path p : new Path[] {caFile, certFile, keyFile}) {
                if (p != null && !Files.isReadable(p)) {
                    throw new IllegalStateException("TLS file " + p + " is not readable; check the path and permissions");
                }
            }
            return new EtcdSettings(this);
        }
    }
}

package io.github.cidrguard.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything flannel keeps in etcd under one prefix, read at one revision: the config and every lease with its value
 * and remaining TTL. Written before every apply so that nothing is lost; {@link FlannelEtcd#restore(Path)} puts it
 * back.
 *
 * <p>File format (JSON, UTF-8): {@code {"cidrguardBackup":1, "prefix", "revision", "takenAt", "config":
 * {"key","value","modRevision"} | null, "leases":[{"key","value","modRevision","leaseId","ttl"}]}}. Values are kept
 * verbatim as JSON strings.
 */
public final class Backup {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FORMAT = 1;

    private final String prefix;
    private final long revision;
    private final Instant takenAt;
    private final StoredConfig config;
    private final List<StoredLease> leases;

    private Backup(String prefix, long revision, Instant takenAt, StoredConfig config, List<StoredLease> leases) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.revision = revision;
        this.takenAt = Objects.requireNonNull(takenAt, "takenAt");
        this.config = config;
        this.leases = List.copyOf(leases);
    }

    /**
     * @param prefix the key prefix the backup covers
     * @param revision the store revision it was read at
     * @param config the config, or {@code null} when the key did not exist
     * @param leases every key under {@code <prefix>/subnets/}
     * @return a backup taken now
     */
    static Backup of(String prefix, long revision, StoredConfig config, List<StoredLease> leases) {
        return new Backup(prefix, revision, Instant.now(), config, leases);
    }

    /** @return the key prefix it covers, e.g. {@code /coreos.com/network} */
    public String prefix() {
        return prefix;
    }

    /** @return the etcd revision all of it was read at */
    public long revision() {
        return revision;
    }

    /** @return when it was taken */
    public Instant takenAt() {
        return takenAt;
    }

    /** @return the config, empty when the key did not exist */
    public Optional<StoredConfig> config() {
        return Optional.ofNullable(config);
    }

    /** @return every key under {@code <prefix>/subnets/}, in key order */
    public List<StoredLease> leases() {
        return leases;
    }

    /**
     * Writes the backup atomically: to a temporary file in the same directory, flushed to disk, then renamed over
     * {@code file}, so a crash leaves either the old file or the whole new one.
     *
     * @param file where to write
     * @throws EtcdException when the file cannot be written (message names it)
     */
    public void write(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
            byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure matters more
                }
            }
            throw new EtcdException("cannot write the backup file " + abs + ": " + e
                    + "; choose a writable directory with free space (nothing was changed in etcd)", e);
        }
    }

    /** @return the backup as JSON (the file format) */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("cidrguardBackup", FORMAT);
        root.put("prefix", prefix);
        root.put("revision", revision);
        root.put("takenAt", takenAt.toString());
        if (config == null) {
            root.putNull("config");
        } else {
            ObjectNode c = root.putObject("config");
            c.put("key", config.key());
            c.put("value", config.value());
            c.put("modRevision", config.modRevision());
        }
        ArrayNode arr = root.putArray("leases");
        for (StoredLease l : leases) {
            ObjectNode n = arr.addObject();
            n.put("key", l.key());
            n.put("value", l.value());
            n.put("modRevision", l.modRevision());
            n.put("leaseId", l.leaseId());
            n.put("ttl", l.ttlSeconds());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a backup as JSON", e);
        }
    }

    /**
     * Reads a backup file written by {@link #write(Path)}.
     *
     * @param file the file
     * @return the backup
     * @throws EtcdException when the file cannot be read or is not a cidrguard backup (message names the file and
     *     the field)
     */
    public static Backup read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EtcdException("cannot read the backup file " + file + ": " + e.getMessage()
                    + "; give a file written by cidrguard before an apply", e);
        }
        if (root == null || !root.isObject() || root.path("cidrguardBackup").asInt(-1) != FORMAT) {
            throw new EtcdException("backup file " + file + " is not a cidrguard backup (no \"cidrguardBackup\": "
                    + FORMAT + "); give a file written by cidrguard before an apply");
        }
        String prefix = text(file, root, "prefix");
        long revision = number(file, root, "revision");
        Instant takenAt;
        try {
            takenAt = Instant.parse(text(file, root, "takenAt"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new EtcdException("backup file " + file + ": \"takenAt\" is not an ISO-8601 instant", e);
        }
        StoredConfig config = null;
        JsonNode c = root.path("config");
        if (c.isObject()) {
            config = new StoredConfig(text(file, c, "key"), text(file, c, "value"), number(file, c, "modRevision"),
                    revision);
        } else if (!c.isNull()) {
            throw new EtcdException("backup file " + file + ": \"config\" must be an object or null");
        }
        JsonNode ls = root.path("leases");
        if (!ls.isArray()) {
            throw new EtcdException("backup file " + file + ": \"leases\" must be an array");
        }
        List<StoredLease> leases = new ArrayList<>(ls.size());
        for (JsonNode n : ls) {
            leases.add(new StoredLease(text(file, n, "key"), text(file, n, "value"), number(file, n, "modRevision"),
                    number(file, n, "leaseId"), number(file, n, "ttl")));
        }
        return new Backup(prefix, revision, takenAt, config, leases);
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new EtcdException("backup file " + file + ": \"" + field + "\" is missing or not a string");
        }
        return v.textValue();
    }

    private static long number(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new EtcdException("backup file " + file + ": \"" + field + "\" is missing or not an integer");
        }
        return v.longValue();
    }

    @Override
    public String toString() {
        return "Backup{" + prefix + "@" + revision + ", " + (config == null ? "no config" : "config") + ", "
                + leases.size() + " leases, taken " + takenAt + "}";
    }
}

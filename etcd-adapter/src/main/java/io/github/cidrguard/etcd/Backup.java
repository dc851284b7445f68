package io.github.cidrguard.etcd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.TerminalText;
import io.github.cidrguard.flannel.FlannelPaths;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything flannel keeps in etcd under one prefix, read at one revision: the config and every lease with its value
 * and remaining TTL. Written before every apply and every restore so that nothing is lost;
 * {@link FlannelEtcd#restore(Path)} puts it back.
 *
 * <p>File format (JSON, UTF-8, no byte order mark): {@code {"cidrguardBackup":2, "prefix", "clusterId", "revision",
 * "takenAt", "config": {"key","value","modRevision"} | null, "leases":[{"key","value","modRevision","leaseId","ttl"}],
 * "leaseCount", "sha256"}}. Values are kept verbatim as JSON strings. {@code sha256} is the hex SHA-256 of the same
 * object without it, written compactly; it detects truncation and edits. Files of format 1 (before the checksum) are
 * still read, checked for structure only.
 *
 * <p>A backup is never overwritten: {@link #write(Path)} creates its file exclusively and
 * {@link #defaultFileName()} is unique per cluster, revision and millisecond.
 */
public final class Backup {

    /** The largest backup file read: ~1 M leases. Bounds what an endless or wrong file (/dev/zero) can cost. */
    static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    /** Values of any length flanneld stores (a config of many megabytes) must be readable back. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);
    private static final ObjectMapper PRETTY = new ObjectMapper(FACTORY).enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FORMAT = 2;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String prefix;
    private final long clusterId;
    private final long revision;
    private final Instant takenAt;
    private final StoredConfig config;
    private final List<StoredLease> leases;

    private Backup(String prefix, long clusterId, long revision, Instant takenAt, StoredConfig config,
            List<StoredLease> leases) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.clusterId = clusterId;
        this.revision = revision;
        this.takenAt = Objects.requireNonNull(takenAt, "takenAt");
        this.config = config;
        this.leases = List.copyOf(leases);
    }

    /**
     * @param prefix the key prefix the backup covers
     * @param clusterId etcd's cluster ID (from a response header), 0 when unknown
     * @param revision the store revision it was read at
     * @param config the config, or {@code null} when the key did not exist
     * @param leases every key under {@code <prefix>/subnets/}
     * @return a backup taken now
     */
    static Backup of(String prefix, long clusterId, long revision, StoredConfig config, List<StoredLease> leases) {
        return new Backup(prefix, clusterId, revision, Instant.now(), config, leases);
    }

    /** @return the key prefix it covers, e.g. {@code /coreos.com/network} */
    public String prefix() {
        return prefix;
    }

    /** @return etcd's cluster ID the backup was read from (as etcd reports it in every response), 0 when unknown */
    public long clusterId() {
        return clusterId;
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
     * A file name no other backup has: {@code cidrguard-backup-<prefix>-<clusterId>-r<revision>-<UTC time to the
     * millisecond>.json}. Two fresh clusters both have their config at revision 2: the cluster ID and the time keep
     * their backups apart.
     *
     * @return the name, without a directory
     */
    public String defaultFileName() {
        return "cidrguard-backup-" + prefix.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-|-$", "") + "-"
                + Long.toHexString(clusterId) + "-r" + revision + "-" + STAMP.format(takenAt) + ".json";
    }

    /**
     * Writes the backup to a new file, never over an existing one: to a temporary file in the same directory,
     * flushed to disk, then linked to {@code file} (an atomic create that fails when the name exists), so a crash
     * leaves either no file or the whole one.
     *
     * @param file where to write; must not exist
     * @throws EtcdInputException when {@code file} exists already or cannot be written (message names it; nothing
     *     was changed in etcd)
     */
    public void write(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw exists(abs, null);
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName().toString(), ".tmp");
            byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.createLink(abs, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, abs);
                tmp = null;
            }
            forceDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw exists(abs, e);
        } catch (IOException e) {
            // a local file the user named or defaulted: bad input to fix (another place), not etcd failing
            throw new EtcdInputException(abs.toString(), "cannot write the backup file " + abs + ": " + e
                    + "; choose a writable directory with free space (nothing was changed in etcd)", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the outcome is decided; a stray temp file is harmless
                }
            }
        }
    }

    private static EtcdInputException exists(Path abs, Throwable cause) {
        return new EtcdInputException(abs.toString(), "backup file " + abs + " exists already: cidrguard never"
                + " overwrites a backup (it may be the only copy of a cluster's state). Choose another name, or leave"
                + " out the name to get a unique one (nothing was changed in etcd)", cause);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not every file system lets a directory be synced; the file itself is on disk
        }
    }

    /** @return the backup as JSON (the file format) */
    public String toJson() {
        ObjectNode root = tree();
        root.put("sha256", sha256(root));
        try {
            return PRETTY.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a backup as JSON", e);
        }
    }

    private ObjectNode tree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("cidrguardBackup", FORMAT);
        root.put("prefix", prefix);
        root.put("clusterId", Long.toHexString(clusterId));
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
        root.put("leaseCount", leases.size());
        return root;
    }

    private static String sha256(JsonNode withoutChecksum) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(withoutChecksum);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot checksum a backup", e);
        }
    }

    /**
     * Reads a backup file written by {@link #write(Path)} and checks it completely before anyone acts on it: UTF-8
     * without a byte order mark, JSON, the format, every field's type, the checksum (format 2: truncation and edits),
     * the lease count, the config key being {@code <prefix>/config}, every lease key lying in flanneld's lease range
     * {@code <prefix>/subnets*} and no key twice.
     *
     * @param file the file
     * @return the backup
     * @throws EtcdInputException when the file cannot be read or fails a check (message names the file, the byte
     *     offset or field, and the fix)
     */
    public static Backup read(Path file) {
        byte[] bytes = readBounded(file);
        String hint = "; give the file cidrguard wrote before the change, unedited";
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            throw bad(file, "starts with a UTF-8 byte order mark (bytes EF BB BF at offset 0), which cidrguard never"
                    + " writes: the file was edited or converted" + hint);
        }
        checkUtf8(file, bytes);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at byte offset " + at.getByteOffset();
            String what = e.getOriginalMessage();
            boolean cut = what != null && what.toLowerCase(java.util.Locale.ROOT).contains("end-of-input");
            throw bad(file, (cut ? "is truncated (the JSON ends" + where + " before it is complete)"
                    : "is not valid JSON" + where + " (" + Texts.shorten(what) + ")") + hint, e);
        } catch (IOException e) {
            throw bad(file, "cannot be parsed: " + e.getMessage() + hint, e);
        }
        if (root == null || !root.isObject() || !root.path("cidrguardBackup").isIntegralNumber()) {
            throw bad(file, "is not a cidrguard backup (no \"cidrguardBackup\": " + FORMAT + " in a JSON object)"
                    + hint);
        }
        int format = root.path("cidrguardBackup").asInt();
        if (format != 1 && format != FORMAT) {
            throw bad(file, "has backup format " + format + ", this cidrguard reads formats 1 and " + FORMAT
                    + "; use the cidrguard version that wrote it");
        }
        if (format >= 2) {
            JsonNode sum = root.get("sha256");
            if (sum == null || !sum.isTextual()) {
                throw bad(file, "has no \"sha256\" checksum, which every format-" + format + " backup carries: it was"
                        + " cut short or edited" + hint);
            }
            ObjectNode rest = ((ObjectNode) root).deepCopy();
            rest.remove("sha256");
            if (!sha256(rest).equalsIgnoreCase(sum.textValue())) {
                throw bad(file, "does not match its \"sha256\" checksum: it was edited or damaged after cidrguard"
                        + " wrote it" + hint);
            }
        }
        String prefix = text(file, root, "prefix");
        long clusterId = 0;
        if (root.hasNonNull("clusterId")) {
            try {
                clusterId = Long.parseUnsignedLong(text(file, root, "clusterId"), 16);
            } catch (NumberFormatException e) {
                throw bad(file, "\"clusterId\" is not a hexadecimal cluster ID" + hint, e);
            }
        }
        long revision = number(file, root, "revision");
        Instant takenAt;
        try {
            takenAt = Instant.parse(text(file, root, "takenAt"));
        } catch (java.time.format.DateTimeParseException e) {
            throw bad(file, "\"takenAt\" is not an ISO-8601 instant" + hint, e);
        }
        StoredConfig config = null;
        JsonNode c = root.path("config");
        if (c.isObject()) {
            config = new StoredConfig(text(file, c, "key"), text(file, c, "value"), number(file, c, "modRevision"),
                    revision);
        } else if (!c.isNull()) {
            throw bad(file, "\"config\" must be an object or null" + hint);
        }
        JsonNode ls = root.path("leases");
        if (!ls.isArray()) {
            throw bad(file, "\"leases\" must be an array" + hint);
        }
        if (format >= 2 && number(file, root, "leaseCount") != ls.size()) {
            throw bad(file, "says it holds " + root.get("leaseCount") + " leases but holds " + ls.size() + hint);
        }
        List<StoredLease> leases = new ArrayList<>(ls.size());
        for (JsonNode n : ls) {
            if (!n.isObject()) {
                throw bad(file, "lease #" + (leases.size() + 1) + " is not an object" + hint);
            }
            leases.add(new StoredLease(text(file, n, "key"), text(file, n, "value"), number(file, n, "modRevision"),
                    number(file, n, "leaseId"), number(file, n, "ttl")));
        }
        Backup b = new Backup(prefix, clusterId, revision, takenAt, config, leases);
        b.checkKeys(file);
        return b;
    }

    /**
     * The keys must be the ones flannel uses under the backup's own prefix: a config at {@code <prefix>/config}, leases
     * in {@code <prefix>/subnets*} (what flanneld lists), none twice. Anything else could write outside flannel's keys
     * (another application's data) or overwrite the config with a "lease".
     */
    private void checkKeys(Path file) {
        String configKey = FlannelPaths.configKey(prefix);
        String range = FlannelPaths.subnetsKey(prefix);
        String fix = "; a backup only ever holds " + configKey + " and keys under " + range
                + "*: give the unedited file cidrguard wrote";
        if (config != null && !config.key().equals(configKey)) {
            throw bad(file, "has its config at " + TerminalText.line(config.key()) + ", not at " + configKey
                    + " as its prefix " + prefix + " says" + fix);
        }
        Set<String> seen = new HashSet<>();
        for (StoredLease l : leases) {
            if (l.key().equals(configKey)) {
                throw bad(file, "holds a lease keyed at the config key " + configKey + " (it would overwrite the"
                        + " restored config)" + fix);
            }
            if (!l.key().startsWith(range)) {
                throw bad(file, "holds the key " + TerminalText.line(l.key()) + ", outside flannel's lease range "
                        + range + "* of prefix " + prefix + fix);
            }
            if (!seen.add(l.key())) {
                throw bad(file, "holds the lease " + TerminalText.line(l.key()) + " twice" + fix);
            }
            if (l.ttlSeconds() < -1) {
                throw bad(file, "gives the lease " + TerminalText.line(l.key()) + " the TTL " + l.ttlSeconds()
                        + " (-1 for none, else seconds)" + fix);
            }
        }
    }

    /**
     * The same backup for another prefix: every key's prefix replaced (restoring into a renamed prefix).
     *
     * @param target the prefix to restore into
     * @return the backup with its keys moved under {@code target}
     */
    Backup movedTo(String target) {
        if (target.equals(prefix)) {
            return this;
        }
        String from = FlannelPaths.subnetsKey(prefix);
        String to = FlannelPaths.subnetsKey(target);
        StoredConfig c = config == null ? null
                : new StoredConfig(FlannelPaths.configKey(target), config.value(), config.modRevision(),
                        config.revision());
        List<StoredLease> moved = leases.stream().map(l -> new StoredLease(to + l.key().substring(from.length()),
                l.value(), l.modRevision(), l.leaseId(), l.ttlSeconds())).toList();
        return new Backup(target, clusterId, revision, takenAt, c, moved);
    }

    private static byte[] readBounded(Path file) {
        if (Files.isDirectory(file)) {
            throw bad(file, "is a directory; give the backup file itself (cidrguard-backup-….json)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, MAX_FILE_BYTES + 1));
            if (b.length > MAX_FILE_BYTES) {
                throw bad(file, "is larger than " + (MAX_FILE_BYTES >> 20) + " MiB, far more than any backup"
                        + " cidrguard writes (or it never ends, like /dev/zero); give the backup file itself");
            }
            return b;
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e + "; check the path and its permissions, and give a backup"
                    + " written by cidrguard", e);
        }
    }

    /** Strict UTF-8: the first malformed or unmappable byte is reported with its offset. */
    private static void checkUtf8(Path file, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                throw bad(file, "is not valid UTF-8: byte offset " + in.position() + " (0x"
                        + HexFormat.of().toHexDigits(bytes[in.position()]) + ") starts an invalid sequence; cidrguard"
                        + " writes UTF-8 only, so the file was damaged or converted; give the original file");
            }
            if (r.isOverflow()) {
                out.clear();
                continue;
            }
            break;
        }
    }

    private static EtcdInputException bad(Path file, String what) {
        return bad(file, what, null);
    }

    private static EtcdInputException bad(Path file, String what, Throwable cause) {
        return new EtcdInputException(file.toString(), "backup file " + file + " " + what, cause);
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(file, "has \"" + field + "\" missing or not a string; give the unedited file cidrguard wrote");
        }
        return v.textValue();
    }

    private static long number(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw bad(file, "has \"" + field + "\" missing or not an integer; give the unedited file cidrguard wrote");
        }
        return v.longValue();
    }

    @Override
    public String toString() {
        return "Backup{" + prefix + "@" + revision + ", " + (config == null ? "no config" : "config") + ", "
                + leases.size() + " leases, taken " + takenAt + "}";
    }
}

package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws of the backup file against damage. */
class BackupPropertiesTest {

    static final Backup SAMPLE = BackupTest.sample(0x5eed, 42);
    static final byte[] BYTES = SAMPLE.toJson().getBytes(StandardCharsets.UTF_8);

    /**
     * Any one byte changed, anywhere, to anything: the file is refused with {@link EtcdInputException} (and nothing
     * else), or it still means exactly the same backup (a change of insignificant whitespace).
     */
    @Property(tries = 3000)
    void anyOneByteChangedIsRefusedOrMeansTheSameBackup(@ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll byte to) {
        byte[] b = BYTES.clone();
        int at = where % b.length;
        b[at] = to;
        Path f = write(b);
        try {
            Backup read = Backup.read(f);
            assertEquals(SAMPLE.toJson(), read.toJson(), "byte " + at + " changed to " + to + " and accepted");
        } catch (EtcdInputException refused) {
            // refused, naming the file: the only other allowed outcome
            assertEquals(f.toString(), refused.source());
        } finally {
            delete(f);
        }
    }

    private static Path write(byte[] b) {
        try {
            Path f = Files.createTempFile("cidrguard-backup-law-", ".json");
            Files.write(f, b);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

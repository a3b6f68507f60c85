package dev.switchboard.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.WrappedDataKey;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Atomic replacement on a file system that can fill up (Jimfs, in memory, limited to 64 KiB). */
class AtomicFilesTest {
    private final FileSystem disk = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setBlockSize(1024)
            .setMaxSize(64 * 1024)
            .build());
    private final Path file = disk.getPath("/var/lib/app/state.bin");

    @AfterEach
    void close() throws Exception {
        disk.close();
    }

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void writeReplacesTheContentAndLeavesNoTemporaryFile() throws Exception {
        AtomicFiles.write(file, filled(1000, 1), "test-store");
        AtomicFiles.write(file, filled(2000, 2), "test-store");
        assertThat(Files.readAllBytes(file)).isEqualTo(filled(2000, 2));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFullDiskLeavesThePreviousContentAndSaysWhatToDo() throws Exception {
        AtomicFiles.write(file, filled(30 * 1024, 1), "test-store");
        // the new content fits the disk alone, but not next to the old one: the write must fail
        assertThatThrownBy(() -> AtomicFiles.write(file, filled(40 * 1024, 2), "test-store"))
                .isInstanceOfSatisfying(
                        TransientException.class, e -> assertThat(e.connector()).isEqualTo("test-store"))
                .hasMessageContaining("previous content is intact")
                .hasMessageContaining("free space");
        assertThat(Files.readAllBytes(file)).isEqualTo(filled(30 * 1024, 1));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // the partial temporary file was removed
        }
        AtomicFiles.write(file, filled(20 * 1024, 3), "test-store"); // space enough again
        assertThat(Files.readAllBytes(file)).isEqualTo(filled(20 * 1024, 3));
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemoved() throws Exception {
        AtomicFiles.write(file, filled(10, 1), "test-store");
        Path leftover = file.resolveSibling(".state.bin.123.tmp");
        Path unrelated = file.resolveSibling(".other.bin.123.tmp");
        Files.write(leftover, filled(10, 9));
        Files.write(unrelated, filled(10, 9));
        AtomicFiles.removeLeftovers(file);
        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(Files.readAllBytes(file)).isEqualTo(filled(10, 1));
    }

    @Test
    void aFileDataKeyStoreOnAFullDiskKeepsItsKeysAndRefusesTheChange() throws Exception {
        Path keysFile = disk.getPath("/var/lib/app/data-keys.json");
        DataKeyStore store = DataKeyStore.file(keysFile);
        Instant at = Instant.parse("2026-04-01T08:00:00Z");
        WrappedDataKey first = WrappedDataKey.live(KeyScope.tenant("t-1"), 1, "k1", filled(60, 7), at);
        assertThat(store.add(first)).isTrue();
        // fill the disk: not one block is left for the new content
        Files.write(
                disk.getPath("/ballast"),
                filled((int) Files.getFileStore(keysFile).getUsableSpace(), 0));

        WrappedDataKey second = WrappedDataKey.live(KeyScope.tenant("t-2"), 1, "k1", filled(60, 8), at);
        assertThatThrownBy(() -> store.add(second))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("data-keys.json")
                .hasMessageContaining("previous content is intact");
        assertThat(store.find(KeyScope.tenant("t-2"), 1)).isEmpty(); // the change was not made in memory either
        assertThat(DataKeyStore.file(keysFile).list(null, 10)).containsExactly(first);

        Files.delete(disk.getPath("/ballast"));
        assertThat(store.add(second)).isTrue();
        assertThat(DataKeyStore.file(keysFile).list(null, 10)).containsExactly(first, second);
    }
}

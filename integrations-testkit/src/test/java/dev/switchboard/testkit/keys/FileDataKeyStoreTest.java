package dev.switchboard.testkit.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.testkit.DataKeyStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The file store on an in-memory file system (any FileSystem works: paths never become java.io.Files). */
class FileDataKeyStoreTest extends DataKeyStoreContract {
    private FileSystem fs;
    private Path file;

    @Override
    protected DataKeyStore createStore() {
        fs = Jimfs.newFileSystem(Configuration.unix());
        file = fs.getPath("/srv/app/data-keys.json");
        return DataKeyStore.file(file);
    }

    @Override
    protected DataKeyStore reopen() {
        return DataKeyStore.file(file);
    }

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void theFileHoldsWrappedKeysWithAFormatVersion() throws Exception {
        store.add(key(KeyScope.tenant("t-1"), 1));
        String json = Files.readString(file);
        assertThat(json).startsWith("{\"format\":\"switchboard-data-keys\",\"version\":1,");
        assertThat(json).contains("\"scope\":\"tenant/t-1\"", "\"masterKeyId\":\"k1\"");
    }

    @Test
    void storesSharingTheFileSeeEachOthersKeysAndNeverWriteOverThem() {
        DataKeyStore other = reopen(); // another process's view, opened while the file is empty
        assertThat(store.add(key(KeyScope.tenant("t-1"), 1))).isTrue();
        assertThat(other.find(KeyScope.tenant("t-1"), 1)).isPresent();
        assertThat(other.add(key(KeyScope.tenant("t-1"), 1))).isFalse(); // made already, by the other
        assertThat(other.add(key(KeyScope.tenant("t-2"), 1))).isTrue();
        assertThat(store.latest(KeyScope.tenant("t-2"))).isPresent();
        assertThat(reopen().list(null, 10)).hasSize(2); // neither write lost the other's key
        assertThat(store.destroy(KeyScope.tenant("t-2"), java.time.Instant.parse("2026-01-01T00:00:00Z")))
                .isEqualTo(1);
        assertThat(other.latest(KeyScope.tenant("t-2")).orElseThrow().destroyed())
                .isTrue();
    }

    @Test
    void aDamagedOrNewerFileIsAClearErrorNeverAnEmptyStore() throws Exception {
        store.add(key(KeyScope.tenant("t-1"), 1));
        String json = Files.readString(file);
        Files.writeString(file, json.substring(0, json.length() / 2));
        assertThatThrownBy(this::reopen)
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("damaged")
                .hasMessageContaining("restore it from a backup");
        Files.writeString(file, json.replace("\"version\":1,", "\"version\":2,"), StandardCharsets.UTF_8);
        assertThatThrownBy(this::reopen)
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("upgrade Switchboard");
    }
}

package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.KeyProvider;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The named attack "a token file copied to another machine without its key": each machine is its own
 * in-memory file system with its own master key. The copy cannot be opened; the error is typed, says what
 * to do and holds no token; and the copied file is left exactly as it came.
 */
class TokenFileAttacksTest {
    private static final byte[] OTHER_MASTER = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            OTHER_MASTER[i] = (byte) (200 - i);
        }
    }

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final String accessToken = Secrets.register(SecretKind.ACCESS_TOKEN, "at-" + UUID.randomUUID());
    private final String refreshToken = Secrets.register(SecretKind.REFRESH_TOKEN, "rt-" + UUID.randomUUID());
    private FileSystem victim;
    private FileSystem attacker;
    private byte[] written;

    @BeforeEach
    void writeOnTheFirstMachine() throws Exception {
        victim = Jimfs.newFileSystem(Configuration.unix());
        attacker = Jimfs.newFileSystem(Configuration.unix());
        Path file = victim.getPath("/var/lib/app/tokens.bin");
        EncryptedFileTokenStore store = EncryptedFileTokenStore.open(file, TestKeys.beside(file), clock);
        assertThat(store.compareAndSet(
                        "salesforce-acme",
                        0,
                        Credential.builder(accessToken)
                                .refreshToken(refreshToken)
                                .version(1)
                                .build()))
                .isTrue();
        written = Files.readAllBytes(file);
    }

    @AfterEach
    void closeFileSystems() throws Exception {
        victim.close();
        attacker.close();
    }

    @Test
    void aTokenFileCopiedWithoutItsDataKeysCannotBeOpenedAndIsLeftAsItCame() throws Exception {
        Path copy = copyTo("/home/mallory/tokens.bin", false);

        PermanentException refused = catchThrowableOfType(
                PermanentException.class,
                () -> EncryptedFileTokenStore.open(copy, keysOnTheOtherMachine(copy, TestKeys.k1()), clock));

        assertRefusedCleanly(refused, copy);
    }

    @Test
    void aTokenFileCopiedWithItsDataKeysButWithoutTheMasterKeyCannotBeOpened() throws Exception {
        Path copy = copyTo("/home/mallory/tokens.bin", true);

        PermanentException refused = catchThrowableOfType(
                PermanentException.class,
                () -> EncryptedFileTokenStore.open(
                        copy, keysOnTheOtherMachine(copy, KeyProvider.of("k1", OTHER_MASTER)), clock));

        assertRefusedCleanly(refused, copy);
    }

    @Test
    void theFileOpensWithItsOwnKeys() throws Exception {
        Path copy = copyTo("/home/mallory/tokens.bin", true);

        EncryptedFileTokenStore store =
                EncryptedFileTokenStore.open(copy, keysOnTheOtherMachine(copy, TestKeys.k1()), clock);

        assertThat(store.load("salesforce-acme").map(Credential::accessToken)).contains(accessToken);
    }

    private void assertRefusedCleanly(PermanentException refused, Path copy) throws Exception {
        assertThat(refused).as("a typed error").isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.GIVE_UP);
        assertThat(refused.getMessage())
                .contains("tokens.bin cannot be read")
                .contains("configure the right keys")
                .contains("Nothing was changed");
        Secrets.assertNoSecretIn(refused);
        assertThat(Files.readAllBytes(copy)).as("the copy, untouched").isEqualTo(written);
    }

    /** The token file (and, when asked, its data key file) copied byte for byte to the other machine. */
    private Path copyTo(String path, boolean withDataKeys) throws Exception {
        Path copy = attacker.getPath(path);
        Files.createDirectories(copy.getParent());
        Files.write(copy, written);
        if (withDataKeys) {
            Path keys = victim.getPath("/var/lib/app/data-keys.json");
            Files.write(copy.resolveSibling("data-keys.json"), Files.readAllBytes(keys));
        }
        return copy;
    }

    private static Keys keysOnTheOtherMachine(Path copy, KeyProvider master) {
        return Keys.builder(master, DataKeyStore.file(copy.resolveSibling("data-keys.json")))
                .build();
    }
}

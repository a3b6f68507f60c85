package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings fail fast, read the connection's settings map, and never print the URL or the password. */
class PgCdcSettingsTest {
    @Test
    void aConnectionsSettingsMapGivesTheFeedsSettings() {
        PostgresChangeFeedSettings s = PostgresChangeFeedSettings.fromSettings(
                "db",
                Map.of(
                        "jdbcUrl", "jdbc:postgresql://h/app",
                        "user", "reader",
                        "cdc.user", "replicator",
                        "cdc.slotPrefix", "app1",
                        "cdc.leaseSeconds", "30",
                        "cdc.lagWarnBytes", "2097152",
                        "cdc.truncates", "skip"),
                "s3cret");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://h/app");
        assertThat(s.user()).isEqualTo("replicator");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.lagWarnBytes()).isEqualTo(2_097_152L);
        assertThat(s.truncates()).isEqualTo(PostgresChangeFeedSettings.Truncates.SKIP);
        assertThat(s.slotName("Orders-2026", "Memory")).isEqualTo("app1_db_orders_2026_memory");
        assertThat(s.toString()).doesNotContain("s3cret").doesNotContain("jdbc:postgresql");
    }

    @Test
    void newBuilderKeepsEverySettingItDoesNotChange() {
        PostgresChangeFeedSettings s = PostgresChangeFeedSettings.builder("db", "jdbc:postgresql://h/app", "replicator")
                .connector("pg")
                .password("s3cret")
                .slotPrefix("app1")
                .leaseDuration(Duration.ofSeconds(7))
                .leaseTable("my_leases")
                .owner("host-a")
                .lagWarnBytes(4_194_304)
                .lagCheckInterval(Duration.ofSeconds(3))
                .statusInterval(Duration.ofSeconds(4))
                .maxBatch(17)
                .truncates(PostgresChangeFeedSettings.Truncates.SKIP)
                .build();
        PostgresChangeFeedSettings copy = s.newBuilder().connector("jdbc").build();
        assertThat(copy.connector()).isEqualTo("jdbc");
        assertThat(copy).usingRecursiveComparison().ignoringFields("connector").isEqualTo(s);
        assertThat(copy.slotName("orders", "memory")).isEqualTo(s.slotName("orders", "memory"));
    }

    @Test
    void badValuesAreRefusedNamingTheirKey() {
        assertThatThrownBy(() -> PostgresChangeFeedSettings.fromSettings("db", Map.of("user", "u"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cdc.jdbcUrl");
        assertThatThrownBy(() -> PostgresChangeFeedSettings.fromSettings(
                        "db", Map.of("jdbcUrl", "jdbc:postgresql://h/app", "user", "u", "cdc.leaseSeconds", "0"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cdc.leaseSeconds");
        assertThatThrownBy(() -> PostgresChangeFeedSettings.fromSettings(
                        "db", Map.of("jdbcUrl", "jdbc:h2:mem:x", "user", "u"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL JDBC URL");
        assertThatThrownBy(() -> PostgresChangeFeedSettings.builder("db", "jdbc:postgresql://h/app", "u")
                        .slotPrefix("1bad; DROP"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongSlotNameIsCutToPostgresLimitAndStaysDistinct() {
        PostgresChangeFeedSettings s = PostgresChangeFeedSettings.builder(
                        "a-connection-with-a-rather-long-name", "jdbc:postgresql://h/app", "u")
                .build();
        String a = s.slotName("a_stream_whose_name_is_also_long_enough_one", "memory");
        String b = s.slotName("a_stream_whose_name_is_also_long_enough_two", "memory");
        String c = s.slotName("a_stream_whose_name_is_also_long_enough_one", "indexer");
        assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
        assertThat(b).hasSizeLessThanOrEqualTo(63);
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }
}

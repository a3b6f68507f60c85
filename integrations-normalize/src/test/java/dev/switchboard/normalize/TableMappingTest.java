package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A database table mapped by configuration alone: real rows from H2, a YAML mapping file. */
class TableMappingTest {
    private static final String WAREHOUSE = "warehouse";
    private Connection db;

    @BeforeEach
    void createTable() throws SQLException {
        // DATABASE_TO_LOWER: column labels arrive lower case, as PostgreSQL reports unquoted names.
        db = DriverManager.getConnection("jdbc:h2:mem:table-mapping;DATABASE_TO_LOWER=TRUE");
        try (Statement st = db.createStatement()) {
            st.execute("""
          CREATE TABLE customers (
            id BIGINT PRIMARY KEY, email_address VARCHAR(200), full_name VARCHAR(200), phone_number VARCHAR(40),
            signed_up_at TIMESTAMP WITH TIME ZONE, crm_id VARCHAR(18), arr DECIMAL(12,2), seats INTEGER,
            active BOOLEAN, plan VARCHAR(20), renewal_date DATE, kind VARCHAR(10))""");
            st.execute("""
          INSERT INTO customers VALUES
            (1, ' Jane.Doe@Acme.com ', 'Jane Doe', '+1 (415) 555-0100', TIMESTAMP WITH TIME ZONE '2024-05-01 12:30:00+02:00',
             '0035g00000JaneAAA', 48000.50, 25, TRUE, 'ent', DATE '2025-06-30', 'cust'),
            (2, 'not an email', 'Bob Roe', NULL, NULL, NULL, NULL, NULL, FALSE, 'legacy', NULL, NULL)""");
        }
    }

    @AfterEach
    void dropTable() throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("DROP TABLE customers");
        }
        db.close();
    }

    @Test
    void rowsBecomeTypedPeopleWithTheColumnAsProvenance() throws SQLException {
        List<Record> rows = TableRows.read(db, WAREHOUSE, "customers", "id", "acme");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).data().get("signed_up_at")).isEqualTo(new JsonString("2024-05-01T12:30+02:00"));
        Normalizer normalizer = Normalizer.builder()
                .serviceLoader(false)
                .fieldMappings(WAREHOUSE, MappingFilesTest.resource("warehouse.yaml"))
                .build();

        Map<String, Entity> byId = normalizer.normalizeAll(rows).stream()
                .collect(Collectors.toMap(e -> e.origin().sourceId(), e -> e));
        Person jane = (Person) byId.get("1");
        assertThat(jane.email()).contains(new Email("jane.doe@acme.com"));
        assertThat(jane.name()).contains("Jane Doe");
        assertThat(jane.phone().orElseThrow().dialable()).isEqualTo("+14155550100");
        assertThat(jane.createdAt()).contains(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(jane.kind().orElseThrow().code()).isEqualTo(PersonKind.CONTACT);
        assertThat(jane.externalIds())
                .extracting(Value::value)
                .containsExactly(new ExternalId("salesforce", "0035g00000JaneAAA"));
        assertThat(jane.custom("arr").orElseThrow().value()).isEqualTo(Money.of("48000.50", "USD"));
        assertThat(jane.custom("seats").orElseThrow().value()).isEqualTo(25L);
        assertThat(jane.custom("active").orElseThrow().value()).isEqualTo(true);
        assertThat(jane.custom("plan").orElseThrow().value()).isEqualTo(new Code("ENTERPRISE", "ent"));
        assertThat(jane.custom("renewal").orElseThrow().value()).isEqualTo(LocalDate.parse("2025-06-30"));
        assertThat(jane.issues()).isEmpty();

        Provenance p = jane.provenance(Person.EMAIL).orElseThrow();
        assertThat(p.sourceField()).isEqualTo("email_address");
        assertThat(p.origin()).isEqualTo(new Origin("jdbc", WAREHOUSE, "acme", "customers", "1", null, null));
        assertThat(jane.custom("arr").orElseThrow().provenance().sourceField()).isEqualTo("arr");
        assertThat(jane.externalIds().get(0).provenance().sourceField()).isEqualTo("crm_id");
        assertThat(jane.raw()).isSameAs(rows.get(0));

        Person bob = (Person) byId.get("2");
        assertThat(bob.email()).isEmpty();
        assertThat(bob.custom("plan").orElseThrow().value()).isEqualTo(new Code(Code.OTHER, "legacy"));
        assertThat(bob.custom("arr")).isEmpty();
        assertThat(bob.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email_address", Drift.Kind.TYPE_CHANGED));
        assertThat(bob.raw().data().string("email_address")).isEqualTo("not an email");
    }

    @Test
    void strictModeRefusesARowWhoseColumnNoLongerReadsAsItsType() throws SQLException {
        List<Record> rows = TableRows.read(db, WAREHOUSE, "customers", "id", "acme");
        Normalizer strict = Normalizer.builder()
                .serviceLoader(false)
                .strict(true)
                .fieldMappings(WAREHOUSE, MappingFilesTest.resource("warehouse.yaml"))
                .build();
        assertThat(strict.normalize(rows.get(0)).get(Person.NAME)).contains("Jane Doe");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.normalize(rows.get(1)))
                .isInstanceOf(dev.switchboard.core.error.SchemaDriftException.class)
                .hasMessageContaining("email_address")
                .hasMessageNotContaining("not an email");
    }
}

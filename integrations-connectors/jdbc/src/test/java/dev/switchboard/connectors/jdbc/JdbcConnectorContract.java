package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.internal.RowIdentity;
import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.AccountMapping;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.PermissionPolicy;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.SchemaDiff;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC connector promises on every database: an H2 and a PostgreSQL subclass run the same tests
 * (through the real {@link Switchboard} API), each supplying its database and the few DDL spellings that
 * differ.
 */
abstract class JdbcConnectorContract {
    static final AgentContext ANA =
            AgentContext.of(Principal.user("ana", "acme").withRoles("support"));
    static final AgentContext BOB = AgentContext.of(Principal.user("bob", "globex"));

    DataSource db;

    /** A fresh, empty database. */
    abstract DataSource newDatabase();

    /** The type of a timestamp-with-zone column. */
    abstract String timestamptz();

    /** The type of a JSON column. */
    abstract String jsonType();

    /** A JSON literal of {@code text} for an INSERT. */
    abstract String json(String text);

    /** The type of a binary column. */
    abstract String binaryType();

    /** A binary literal of hex digits. */
    abstract String binary(String hex);

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = newDatabase();
        sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                + " tenant_id VARCHAR(20) NOT NULL, owner_id VARCHAR(20),"
                + " updated_at " + timestamptz() + " NOT NULL, deleted_at " + timestamptz() + ")");
        sql("CREATE TABLE order_lines (order_id INTEGER NOT NULL, line_no INTEGER NOT NULL, sku VARCHAR(20),"
                + " PRIMARY KEY (order_id, line_no))");
        sql("CREATE TABLE audit_trail (happened_at " + timestamptz() + ", what VARCHAR(50))");
    }

    void sql(String... statements) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String table) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ts(int second) {
        return "TIMESTAMP WITH TIME ZONE '2024-03-01 10:00:" + String.format("%02d", second) + "+00'";
    }

    void customers(int n, int sameSecond) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add("INSERT INTO customers (id, name, tenant_id, owner_id, updated_at) VALUES (" + i + ", 'c" + i
                    + "', '" + (i % 2 == 0 ? "acme" : "globex") + "', '" + (i % 2 == 0 ? "ana" : "bob") + "', "
                    + ts(sameSecond < 0 ? i % 60 : sameSecond) + ")");
        }
        sql(rows.toArray(new String[0]));
    }

    Switchboard.Builder switchboard(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(JdbcConnector.DATA_SOURCE, "support-db");
        all.putAll(settings);
        return Switchboard.builder()
                .resource("support-db", db)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .connection(ConnectionConfig.builder("db")
                        .connector("jdbc")
                        .settings(all)
                        .build());
    }

    static List<Record> readAll(Switchboard sb, AgentContext ctx, ReadRequest request) {
        try (RecordStream s = sb.connection("db").read(ctx, request)) {
            List<Record> out = new ArrayList<>();
            s.forEach(out::add);
            return out;
        }
    }

    static List<String> ids(List<Record> records) {
        return records.stream().map(Record::id).toList();
    }

    // ---------------------------------------------------------------- discovery

    @Test
    void discoversTablesWithTheirKeysTypesAndNullability() {
        try (Switchboard sb =
                switchboard(Map.of("cursor.customers", "updated_at")).build()) {
            var descriptor = sb.connection("db").descriptor();
            // audit_trail has no primary key: not read (and said so), rather than read without identity.
            assertThat(descriptor.streams())
                    .extracting(StreamDescriptor::name)
                    .containsExactly("customers", "order_lines");
            StreamDescriptor customers = descriptor.stream("customers").orElseThrow();
            assertThat(customers.primaryKey()).isEqualTo("id");
            assertThat(customers.cursorField()).isEqualTo("updated_at");
            assertThat(customers.incremental()).isTrue();
            Schema schema = customers.schema();
            assertThat(schema.field("id").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
            assertThat(schema.field("id").orElseThrow().nullable()).isFalse();
            assertThat(schema.field("name").orElseThrow().type()).isEqualTo(FieldType.STRING);
            assertThat(schema.field("updated_at").orElseThrow().type()).isEqualTo(FieldType.TIMESTAMP);
            assertThat(schema.field("deleted_at").orElseThrow().nullable()).isTrue();
            StreamDescriptor lines = descriptor.stream("order_lines").orElseThrow();
            assertThat(lines.incremental()).isFalse();
            assertThat(lines.primaryKey()).isEqualTo("order_id");
        }
    }

    @Test
    void aListedTableWithoutKeyIsRefusedWithWhatToSet() {
        assertThatThrownBy(() ->
                        switchboard(Map.of("tables", "customers,audit_trail")).build())
                .hasStackTraceContaining("audit_trail")
                .hasStackTraceContaining("key.audit_trail");
        try (Switchboard sb = switchboard(Map.of("tables", "audit_trail", "key.audit_trail", "happened_at,what"))
                .build()) {
            assertThat(sb.connection("db").descriptor().stream("audit_trail")).isPresent();
        }
    }

    @Test
    void compositeKeysMakeOneIdPerRow() {
        sql("INSERT INTO order_lines VALUES (1, 1, 'a/b'), (1, 2, 'x'), (2, 1, 'y')");
        try (Switchboard sb = switchboard(Map.of()).build()) {
            List<Record> rows = readAll(sb, ANA, ReadRequest.of("order_lines").pageSize(2));
            assertThat(ids(rows)).containsExactly("1/1", "1/2", "2/1");
        }
    }

    // ---------------------------------------------------------------- reads

    @Test
    void readsEveryRowOncePagedByKey() {
        customers(25, -1);
        try (Switchboard sb = switchboard(Map.of()).build()) {
            List<Record> rows = readAll(sb, ANA, ReadRequest.of("customers").pageSize(10));
            assertThat(rows).hasSize(25);
            assertThat(rows).extracting(Record::id).doesNotHaveDuplicates();
            Record first = rows.get(0);
            assertThat(first.data().number("id")).isEqualByComparingTo("1");
            assertThat(first.version()).isEqualTo(RowIdentity.version(first.data()));
            assertThat(first.acl()).isNotNull();
            assertThat(first.source().object()).isEqualTo("customers");
        }
    }

    @Test
    void incrementalReadsResumeWithoutLossOrDuplicateAcrossEqualCursors() {
        customers(30, 7); // thirty rows with the same updated_at
        Map<String, String> settings = Map.of("cursor.customers", "updated_at");
        try (Switchboard sb = switchboard(settings).build()) {
            List<String> seen = new ArrayList<>();
            Checkpoint checkpoint;
            try (RecordStream s =
                    sb.connection("db").read(ANA, ReadRequest.of("customers").pageSize(7))) {
                var it = s.iterator();
                for (int i = 0; i < 10; i++) { // stop in the middle of a page of equal cursors
                    seen.add(it.next().id());
                }
                checkpoint = s.checkpoint();
            }
            sql("INSERT INTO customers (id, name, tenant_id, updated_at) VALUES (31, 'late', 'acme', " + ts(8) + ")");
            seen.addAll(
                    ids(readAll(sb, ANA, ReadRequest.of("customers").pageSize(7).since(checkpoint))));
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 31; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
        }
    }

    @Test
    void aLookBackReReadsRowsCommittedLateAsOverlap() {
        customers(5, -1); // updated_at 10:00:01 .. 10:00:05
        Map<String, String> settings = Map.of("cursor.customers", "updated_at", "lookBack.customers", "PT10S");
        try (Switchboard sb = switchboard(settings).build()) {
            Checkpoint checkpoint;
            try (RecordStream s = sb.connection("db").read(ANA, ReadRequest.of("customers"))) {
                s.forEach(r -> {});
                checkpoint = s.checkpoint();
            }
            // A transaction that began at 10:00:03 commits after the read: its row lands behind the checkpoint.
            sql("INSERT INTO customers (id, name, tenant_id, updated_at) VALUES (99, 'late', 'acme', " + ts(3) + ")");
            Checkpoint next;
            List<Record> again;
            try (RecordStream s =
                    sb.connection("db").read(ANA, ReadRequest.of("customers").since(checkpoint))) {
                again = new ArrayList<>();
                s.forEach(again::add);
                next = s.checkpoint();
            }
            assertThat(ids(again)).contains("99");
            // Re-read, not moved past: the checkpoint stays where it was.
            assertThat(next.position()).isEqualTo(checkpoint.position());
        }
        try (Switchboard sb =
                switchboard(Map.of("cursor.customers", "updated_at")).build()) {
            Checkpoint end;
            try (RecordStream s = sb.connection("db").read(ANA, ReadRequest.of("customers"))) {
                s.forEach(r -> {});
                end = s.checkpoint();
            }
            sql("INSERT INTO customers (id, name, tenant_id, updated_at) VALUES (98, 'later', 'acme', " + ts(2) + ")");
            // Without a look-back the late row is never seen.
            assertThat(ids(readAll(sb, ANA, ReadRequest.of("customers").since(end))))
                    .isEmpty();
        }
    }

    @Test
    void typesRoundTripExactly() {
        sql("CREATE TABLE typed (id UUID PRIMARY KEY, amount NUMERIC(38, 18) NOT NULL, big BIGINT, flag BOOLEAN,"
                + " at_zone " + timestamptz() + ", at_local TIMESTAMP, due_on DATE, doc " + jsonType() + ","
                + " tags INTEGER ARRAY, raw " + binaryType() + ", note VARCHAR(20))");
        sql("INSERT INTO typed VALUES ('6F1C2D3E-0000-4000-8000-00000000000A', 12345678901234567890.123456789012345678,"
                + " 9007199254740993, TRUE, TIMESTAMP WITH TIME ZONE '2024-03-01 10:15:30.123456+02',"
                + " TIMESTAMP '2024-03-01 10:15:30', DATE '2024-02-29', " + json("{\"a\": [1, 2.50], \"b\": null}")
                + ", ARRAY[3, 1, 2], " + binary("CAFE") + ", NULL)");
        try (Switchboard sb = switchboard(Map.of()).build()) {
            Record r = readAll(sb, ANA, ReadRequest.of("typed")).get(0);
            JsonObject d = r.data();
            assertThat(r.id()).isEqualTo("6f1c2d3e-0000-4000-8000-00000000000a");
            assertThat(d.number("amount")).isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));
            assertThat(d.number("big")).isEqualTo(new BigDecimal("9007199254740993"));
            assertThat(d.bool("flag")).isTrue();
            assertThat(d.string("at_zone")).isEqualTo("2024-03-01T08:15:30.123456Z");
            assertThat(d.string("at_local")).isEqualTo("2024-03-01T10:15:30");
            assertThat(d.string("due_on")).isEqualTo("2024-02-29");
            assertThat(d.get("doc")).isEqualTo(Json.parse("{\"a\": [1, 2.5], \"b\": null}"));
            assertThat(d.get("tags")).isEqualTo(JsonArray.of(JsonNumber.of(3), JsonNumber.of(1), JsonNumber.of(2)));
            assertThat(d.string("raw")).isEqualTo("yv4=");
            assertThat(d.get("note")).isEqualTo(dev.switchboard.core.json.JsonNull.INSTANCE);
            Schema schema = sb.connection("db").descriptor().stream("typed")
                    .orElseThrow()
                    .schema();
            assertThat(schema.field("amount").orElseThrow().type()).isEqualTo(FieldType.NUMBER);
            assertThat(schema.field("at_zone").orElseThrow().type()).isEqualTo(FieldType.TIMESTAMP);
            assertThat(schema.field("due_on").orElseThrow().type()).isEqualTo(FieldType.DATE);
            assertThat(schema.field("doc").orElseThrow().type()).isEqualTo(FieldType.ANY);
            assertThat(schema.field("tags").orElseThrow().type()).isEqualTo(FieldType.ARRAY);
            assertThat(schema.field("id").orElseThrow().type()).isEqualTo(FieldType.STRING);
        }
    }

    // ---------------------------------------------------------------- actions

    JdbcConnector withActions() {
        return JdbcConnector.builder()
                .action(JdbcAction.builder("rename_customer")
                        .description("Renames a customer")
                        .sql("UPDATE customers SET name = :name WHERE id = :id")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("name", JdbcParameter.Type.STRING))
                        .affects("customers", "id")
                        .build())
                .action(JdbcAction.builder("add_lines")
                        .description("Adds two order lines in one transaction")
                        .sql("INSERT INTO order_lines (order_id, line_no, sku) VALUES (:order_id, 1, :sku),"
                                + " (:order_id, :second_line, :sku)")
                        .parameter(JdbcParameter.required("order_id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("second_line", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.optional("sku", JdbcParameter.Type.STRING))
                        .build())
                .action(JdbcAction.builder("delete_customer")
                        .description("Deletes a customer")
                        .sql("DELETE FROM customers WHERE id = :id")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .effect(Effect.DESTRUCTIVE)
                        .affects("customers", "id")
                        .build())
                .build();
    }

    @Test
    void actionsRunInOneTransactionAndReportTheRowsTheyTouched() {
        customers(3, -1);
        try (Switchboard sb = switchboard(Map.of()).connector(withActions()).build()) {
            var descriptor =
                    sb.connection("db").descriptor().action("delete_customer").orElseThrow();
            assertThat(descriptor.effect()).isEqualTo(Effect.DESTRUCTIVE);
            assertThat(descriptor.retrySafe()).isFalse();
            ActionResult renamed = sb.connection("db").execute(ANA, "rename_customer", Map.of("id", 2, "name", "Neu"));
            assertThat(renamed.output().number("rowCount")).isEqualByComparingTo("1");
            assertThat(renamed.affected())
                    .extracting(ref -> ref.stream() + "/" + ref.id() + "/" + ref.deleted())
                    .containsExactly("customers/2/false");
            ActionResult deleted = sb.connection("db").execute(ANA, "delete_customer", Map.of("id", 3));
            assertThat(deleted.affected())
                    .extracting(ref -> ref.id() + "/" + ref.deleted())
                    .containsExactly("3/true");
            assertThat(count("customers")).isEqualTo(2);

            // The second row breaks the primary key: the first is rolled back with it, and the caller is told
            // what to fix.
            assertThatThrownBy(() -> sb.connection("db")
                            .execute(ANA, "add_lines", Map.of("order_id", 7, "second_line", 1, "sku", "x")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("constraint");
            assertThat(count("order_lines")).isZero();
        }
    }

    /**
     * A declared query whose result repeats a column label is refused when the Switchboard is built, naming the
     * label: a record cannot hold two fields of one name (and the reader builds each page's rows from one shape of
     * unique names).
     */
    @Test
    void aQueryRepeatingAColumnLabelIsRefusedAtBuild() {
        customers(3, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("renamed")
                        .sql("SELECT id, name, 'later' AS name FROM customers")
                        .key("id")
                        .build())
                .build();
        assertThatThrownBy(() -> switchboard(Map.of()).connector(connector).build())
                .hasStackTraceContaining("field 'name' is declared twice");
    }

    // ---------------------------------------------------------------- consent: summaries and dry runs

    /** An input for every write {@link #withActions()} declares; an action without one fails the enumeration. */
    static final Map<String, Map<String, Object>> SAMPLE_INPUTS = Map.of(
            "rename_customer", Map.of("id", 2, "name", "Neu"),
            "add_lines", Map.of("order_id", 7, "second_line", 2, "sku", "x"),
            "delete_customer", Map.of("id", 3));

    ActionPreview preview(Switchboard sb, AgentContext ctx, String action, Map<String, Object> input) {
        return sb.connection("db").preview(ctx, action, Json.objectFrom(input));
    }

    String nameOf(int id) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT name FROM customers WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachActionsSummaryNamesItsStatementStreamRowAndInputs() {
        customers(3, -1);
        try (Switchboard sb = switchboard(Map.of()).connector(withActions()).build()) {
            assertThat(preview(sb, ANA, "rename_customer", SAMPLE_INPUTS.get("rename_customer"))
                            .summary())
                    .isEqualTo(
                            "Run rename_customer (UPDATE on customers, row 2) with id 2 and name Neu in connection db");
            assertThat(preview(sb, ANA, "delete_customer", SAMPLE_INPUTS.get("delete_customer"))
                            .summary())
                    .isEqualTo("Run delete_customer (DELETE on customers, row 3) with id 3 in connection db");
            assertThat(preview(sb, ANA, "add_lines", SAMPLE_INPUTS.get("add_lines"))
                            .summary())
                    .isEqualTo("Run add_lines (INSERT) with order_id 7, second_line 2 and sku x in connection db");
        }
    }

    @Test
    void aSummaryRedactsSecretInputsAndCutsLongText() {
        customers(1, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .action(JdbcAction.builder("set_note")
                        .sql("UPDATE customers SET name = :note WHERE id = :id AND :password IS NOT NULL")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("note", JdbcParameter.Type.STRING))
                        .parameter(JdbcParameter.required("password", JdbcParameter.Type.STRING))
                        .affects("customers", "id")
                        .build())
                .build();
        try (Switchboard sb = switchboard(Map.of()).connector(connector).build()) {
            String summary = preview(
                            sb, ANA, "set_note", Map.of("id", 1, "note", "word ".repeat(20), "password", "tok-9f"))
                    .summary();

            assertThat(summary)
                    .startsWith("Run set_note (UPDATE on customers, row 1) with id 1, note \"word word")
                    .contains("...\"", "password [redacted]")
                    .doesNotContain("tok-9f");
        }
    }

    @Test
    void aDryRunRunsTheStatementInATransactionThatIsRolledBack() {
        customers(3, -1);
        try (Switchboard sb = switchboard(Map.of()).connector(withActions()).build()) {
            ActionPreview renamed = preview(sb, ANA, "rename_customer", SAMPLE_INPUTS.get("rename_customer"));
            assertThat(renamed.wouldChange().string("statement")).isEqualTo("UPDATE");
            assertThat(renamed.wouldChange().number("rowCount")).isEqualByComparingTo("1");
            assertThat(renamed.wouldChange().bool("rolledBack")).isTrue();
            assertThat(renamed.affected()).containsExactly(RecordRef.changed("customers", "2"));
            assertThat(nameOf(2)).as("the row is unchanged").isEqualTo("c2");

            ActionPreview deleted = preview(sb, ANA, "delete_customer", SAMPLE_INPUTS.get("delete_customer"));
            assertThat(deleted.affected()).containsExactly(RecordRef.deleted("customers", "3"));
            assertThat(count("customers")).isEqualTo(3);

            ActionPreview added = preview(sb, ANA, "add_lines", SAMPLE_INPUTS.get("add_lines"));
            assertThat(added.wouldChange().number("rowCount")).isEqualByComparingTo("2");
            assertThat(count("order_lines")).isZero();

            ActionPreview none = preview(sb, ANA, "rename_customer", Map.of("id", 99, "name", "x"));
            assertThat(none.wouldChange().number("rowCount")).isEqualByComparingTo("0");
            assertThat(none.affected()).isEmpty();

            // A statement the database refuses fails as the action would, and leaves nothing behind.
            assertThatThrownBy(() -> preview(sb, ANA, "add_lines", Map.of("order_id", 7, "second_line", 1)))
                    .isInstanceOf(InvalidInputException.class);
            assertThat(count("order_lines")).isZero();
        }
    }

    @Test
    void aDryRunBindsThePrincipalAsTheActionDoes() {
        customers(4, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .action(JdbcAction.builder("rename_own_customer")
                        .sql("UPDATE customers SET name = :name WHERE id = :id AND owner_id = :user_id")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("name", JdbcParameter.Type.STRING))
                        .affects("customers", "id")
                        .build())
                .build();
        try (Switchboard sb = switchboard(Map.of()).connector(connector).build()) {
            Map<String, Object> input = Map.of("id", 2, "name", "Neu");

            assertThat(preview(sb, ANA, "rename_own_customer", input)
                            .wouldChange()
                            .number("rowCount"))
                    .as("ana owns customer 2")
                    .isEqualByComparingTo("1");
            assertThat(preview(sb, BOB, "rename_own_customer", input)
                            .wouldChange()
                            .number("rowCount"))
                    .as("bob does not")
                    .isEqualByComparingTo("0");
            assertThat(nameOf(2)).isEqualTo("c2");
        }
    }

    @Test
    void theConsentPromptLeadsWithTheSummaryAndNothingRunsBeforeConsent() {
        customers(3, -1);
        try (Switchboard sb = switchboard(Map.of())
                .connector(withActions())
                .consentGate(ConsentGate.askUser())
                .build()) {
            ConsentRequiredException asked = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ConsentRequiredException.class,
                    () -> sb.connection("db").execute(ANA, "delete_customer", Map.of("id", 3)));

            assertThat(asked.prompt())
                    .isEqualTo("Run delete_customer (DELETE on customers, row 3) with id 3 in connection db."
                            + " Allow delete_customer (destructive) on db?");
            assertThat(sb.consent().find(asked.requestId()).orElseThrow().prompt())
                    .isEqualTo(asked.prompt());
            assertThat(count("customers")).isEqualTo(3);
        }
    }

    @Test
    void everyWriteADeclaredActionMakesHasASummaryAndADryRun() {
        customers(3, -1);
        try (Switchboard sb = switchboard(Map.of()).connector(withActions()).build()) {
            for (ActionDescriptor action : sb.connection("db").descriptor().actions()) {
                if (!action.effect().needsConsent()) {
                    continue;
                }
                assertThat(SAMPLE_INPUTS)
                        .as("a sample input for %s", action.name())
                        .containsKey(action.name());
                ActionPreview preview = preview(sb, ANA, action.name(), SAMPLE_INPUTS.get(action.name()));
                assertThat(preview.summary()).as(action.name()).startsWith("Run " + action.name());
                assertThat(preview.wouldChange().bool("rolledBack"))
                        .as(action.name())
                        .isTrue();
            }
        }
        assertThat(count("customers")).isEqualTo(3);
        assertThat(count("order_lines")).isZero();
    }

    // ---------------------------------------------------------------- safety

    @Test
    void injectionThroughEveryArgumentIsRejectedOrHarmless() {
        customers(4, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("by_name")
                        .sql("SELECT id, name FROM customers WHERE name = :name")
                        .key("id")
                        .build())
                .action(JdbcAction.builder("rename_customer")
                        .sql("UPDATE customers SET name = :name WHERE id = :id")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("name", JdbcParameter.Type.STRING))
                        .build())
                .build();
        // Names from configuration: refused unless the metadata lists them.
        assertThatThrownBy(() -> switchboard(Map.of("tables", "customers; DROP TABLE customers"))
                        .build())
                .hasStackTraceContaining("not a table or view");
        assertThatThrownBy(() -> switchboard(Map.of("cursor.customers", "updated_at; DROP TABLE customers"))
                        .build())
                .hasStackTraceContaining("names column");
        assertThatThrownBy(
                        () -> switchboard(Map.of("cursor.customers\" --", "id")).build())
                .hasStackTraceContaining("names a table that is not read");
        assertThatThrownBy(() -> switchboard(Map.of("schema", "public; DROP TABLE customers"))
                        .build())
                .hasStackTraceContaining("is not in the database");
        try (Switchboard sb = switchboard(Map.of()).connector(connector).build()) {
            // A filter field is a known column or nothing.
            assertThatThrownBy(
                            () -> readAll(sb, ANA, ReadRequest.of("customers").where("name = 'x' OR 1=1 --", "x")))
                    .isInstanceOf(InvalidInputException.class);
            // A filter value is a bound value: the classic tautology matches no row.
            assertThat(readAll(sb, ANA, ReadRequest.of("customers").where("name", "x' OR '1'='1")))
                    .isEmpty();
            assertThatThrownBy(
                            () -> readAll(sb, ANA, ReadRequest.of("customers").where("id", "1 OR 1=1")))
                    .as("a value that is not a number, for a number column")
                    .isInstanceOf(InvalidInputException.class);
            // A query parameter is a bound value too.
            assertThat(readAll(sb, ANA, ReadRequest.of("by_name").where("name", "c1' OR '1'='1")))
                    .isEmpty();
            assertThat(readAll(sb, ANA, ReadRequest.of("by_name").where("name", "c1")))
                    .hasSize(1);
            // An action's input is stored as given.
            sb.connection("db")
                    .execute(ANA, "rename_customer", Map.of("id", 1, "name", "x'); DROP TABLE customers; --"));
            assertThat(readAll(sb, ANA, ReadRequest.of("customers").where("id", "1"))
                            .get(0)
                            .data()
                            .string("name"))
                    .isEqualTo("x'); DROP TABLE customers; --");
        }
        assertThat(count("customers")).isEqualTo(4);
    }

    // ---------------------------------------------------------------- row-level security

    @Test
    void theRowFilterBindsThePrincipal() {
        customers(6, -1);
        Map<String, String> settings = Map.of(
                "rowFilter.customers", "tenant_id = :tenant_id AND (owner_id = :user_id OR 'admin' IN (:roles))",
                "tenantColumn.customers", "tenant_id");
        try (Switchboard sb = switchboard(settings).build()) {
            List<Record> ana = readAll(sb, ANA, ReadRequest.of("customers"));
            assertThat(ids(ana)).containsExactly("2", "4", "6");
            assertThat(ana.get(0).acl().tenant()).isEqualTo("acme");
            assertThat(ids(readAll(sb, BOB, ReadRequest.of("customers")))).containsExactly("1", "3", "5");
            AgentContext admin = AgentContext.of(Principal.user("zed", "acme").withRoles("admin", "support"));
            assertThat(ids(readAll(sb, admin, ReadRequest.of("customers")))).containsExactly("2", "4", "6");
            AgentContext stranger = AgentContext.of(Principal.user("eve", "initech"));
            assertThat(readAll(sb, stranger, ReadRequest.of("customers"))).isEmpty();
        }
    }

    @Test
    void theRowFilterBindsTheIdentityTheApplicationMapsItsPrincipalsTo() {
        customers(6, -1);
        // The application's ids are not the database's: its tenant t-1 is acme there, its user u-1 is ana.
        AccountMapping accounts = (principal, connection) -> switch (principal.userId()) {
            case "u-1" -> new AccountIdentity("acme", "ana", Set.of());
            case "u-2" -> new AccountIdentity("globex", "bob", Set.of());
            case "u-3" -> new AccountIdentity("acme", null, Set.of("admins"));
            default -> null;
        };
        Map<String, String> settings = Map.of(
                "rowFilter.customers",
                "tenant_id = :scope_tenant AND (owner_id = :scope_user_id OR 'admins' IN (:scope_groups))",
                "tenantColumn.customers",
                "tenant_id");
        try (Switchboard sb = switchboard(settings)
                .accessPolicy(PermissionPolicy.custom()
                        .grant("db", g -> g.anyUser().connections("db").streams("*"))
                        .accounts(accounts)
                        .build())
                .build()) {
            assertThat(ids(readAll(sb, AgentContext.of(Principal.user("u-1", "t-1")), ReadRequest.of("customers"))))
                    .containsExactly("2", "4", "6");
            assertThat(ids(readAll(sb, AgentContext.of(Principal.user("u-2", "t-2")), ReadRequest.of("customers"))))
                    .containsExactly("1", "3", "5");
            assertThat(ids(readAll(sb, AgentContext.of(Principal.user("u-3", "t-1")), ReadRequest.of("customers"))))
                    .containsExactly("2", "4", "6");
            // No identity: every scope parameter binds NULL, which matches no row.
            assertThat(readAll(sb, AgentContext.of(Principal.user("u-9", "t-1")), ReadRequest.of("customers")))
                    .isEmpty();
        }
        // Without the row rule the scope is unrestricted: the parameters bind NULL and the filter keeps nothing.
        try (Switchboard sb = switchboard(settings).build()) {
            assertThat(readAll(sb, AgentContext.of(Principal.user("u-1", "t-1")), ReadRequest.of("customers")))
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------- drift

    @Test
    void aColumnAddedLaterIsAdditiveDrift() {
        customers(2, -1);
        try (Switchboard sb = switchboard(Map.of()).build()) {
            Schema contract = sb.connection("db").contract("customers");
            assertThat(contract.diffMetadata(sb.connection("db")
                                    .describe(ANA, "customers")
                                    .orElseThrow())
                            .isEmpty())
                    .isTrue();
            sql("ALTER TABLE customers ADD COLUMN nickname VARCHAR(20)");
            SchemaDiff diff = contract.diffMetadata(
                    sb.connection("db").describe(ANA, "customers").orElseThrow());
            assertThat(diff.hasBreaking()).isFalse();
            assertThat(diff.additive()).extracting(d -> d.field()).containsExactly("nickname");
            // Reads go on, the new column in the data.
            assertThat(readAll(sb, ANA, ReadRequest.of("customers"))
                            .get(0)
                            .data()
                            .has("nickname"))
                    .isTrue();
            sql("ALTER TABLE customers DROP COLUMN owner_id");
            assertThat(contract.diffMetadata(sb.connection("db")
                                    .describe(ANA, "customers")
                                    .orElseThrow())
                            .breaking())
                    .extracting(d -> d.field())
                    .containsExactly("owner_id");
        }
    }

    // ---------------------------------------------------------------- the polling change feed

    @Test
    void thePollingFeedFollowsACursorAndFindsSoftDeletes() {
        customers(3, -1);
        Map<String, String> settings = Map.of("cursor.customers", "updated_at", "softDelete.customers", "deleted_at");
        try (Switchboard sb = switchboard(settings).build()) {
            assertThat(sb.connection("db").descriptor().stream("customers")
                            .orElseThrow()
                            .reportsDeletes())
                    .isTrue();
            List<ChangeEvent> events = new ArrayList<>();
            AgentContext indexer = AgentContext.of(Principal.system("indexer"));
            try (Subscription sub = sb.subscribe(
                    indexer,
                    ChangeRequest.builder("indexer", "db")
                            .streams("customers")
                            .manual()
                            .build(),
                    events::add)) {
                sub.poll();
                assertThat(events).extracting(ChangeEvent::recordId).containsExactly("1", "2", "3");
                events.clear();
                sql(
                        "UPDATE customers SET name = 'renamed', updated_at = " + ts(40) + " WHERE id = 1",
                        "UPDATE customers SET deleted_at = " + ts(41) + ", updated_at = " + ts(41) + " WHERE id = 2");
                sub.poll();
                Map<String, ChangeEvent.Op> ops = new HashMap<>();
                events.forEach(e -> ops.put(e.recordId(), e.op()));
                assertThat(ops)
                        .containsExactlyInAnyOrderEntriesOf(
                                Map.of("1", ChangeEvent.Op.UPSERT, "2", ChangeEvent.Op.DELETE));
                ChangeEvent renamed = events.stream()
                        .filter(e -> e.recordId().equals("1"))
                        .findFirst()
                        .orElseThrow();
                assertThat(renamed.record().data().string("name")).isEqualTo("renamed");
                events.clear();
                sub.poll();
                assertThat(events).isEmpty();
            }
        }
    }

    static Instant at(int second) {
        return Instant.parse("2024-03-01T10:00:" + String.format("%02d", second) + "Z");
    }

    static JsonString text(String s) {
        return new JsonString(s);
    }
}

package dev.switchboard.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.RecordedVendor;
import dev.switchboard.testkit.fake.Recording;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ContractCheckTest {
    @RegisterExtension
    static final RecordedVendor CATALOG = new RecordedVendor(Recording.fromClasspath("recordings/catalog"));

    private static final ManualClock CLOCK = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));

    private static FakeConnection connection() {
        return FakeConnection.to(CATALOG, "catalog")
                .connector(new CatalogConnector())
                .driftPolicy(DriftPolicy.REPORT)
                .build();
    }

    private static ContractReport check(FakeConnection c) {
        return ContractCheck.on(c.connection(), c.context())
                .clock(CLOCK)
                .build()
                .run();
    }

    @Test
    void recordsAndMetadataThatKeepTheContractShowNoDifference() {
        try (FakeConnection c = connection()) {
            ContractReport report = check(c);

            assertThat(report.status()).isEqualTo(ContractReport.Status.OK);
            assertThat(report.streams())
                    .extracting(
                            StreamResult::stream,
                            StreamResult::recordsRead,
                            StreamResult::metadataChecked,
                            StreamResult::truncated)
                    .containsExactly(tuple("items", 3, true, false), tuple("tags", 1, false, false));
            assertThat(report.streams())
                    .allSatisfy(s -> assertThat(s.differences()).isEmpty());
            assertThat(report.checkedAt()).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
            report.assertNoBreakingDrift();
            // The read's own metadata check (core describes when a read opens), both pages of items, the
            // harness's describe, the tags: the recording answered every request.
            assertThat(CATALOG.unmatched()).isEmpty();
            assertThat(CATALOG.requests())
                    .extracting(r -> r.path() + "?" + r.query())
                    .containsExactly(
                            "/items/schema?{}",
                            "/items?{page=1}",
                            "/items?{page=2}",
                            "/items/schema?{}",
                            "/tags?{page=1}");
        }
    }

    @Test
    void eachKindOfRecordDriftIsMergedByFieldWithItsRecordsAndClassified() {
        CATALOG.replay(CATALOG.recording()
                .set("GET", "/items", "/items/0/price", new JsonString("12.50")) // retyped
                .set("GET", "/items", "/items/0/colour", new JsonString("red")) // added
                .set("GET", "/items", "/items/1/colour", JsonNull.INSTANCE) // added, null here
                .set("GET", "/items", "/items/1/status", new JsonString("recalled")) // unknown enum value
                .remove("GET", "/items", "/items/1/name") // required, missing
                .set("GET", "/items", "/items/0/name", JsonNull.INSTANCE)); // promised non-null

        try (FakeConnection c = connection()) {
            StreamResult items = check(c).stream("items").orElseThrow();

            assertThat(items.seenIn(Difference.Seen.RECORDS))
                    .containsExactlyInAnyOrder(
                            new Difference(
                                    "price",
                                    Drift.Kind.TYPE_CHANGED,
                                    "NUMBER?",
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i1")),
                            new Difference(
                                    "colour",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING | null",
                                    Difference.Seen.RECORDS,
                                    2,
                                    List.of("i1", "i2")),
                            new Difference(
                                    "status",
                                    Drift.Kind.UNKNOWN_VALUE,
                                    "one of [active, retired]",
                                    "recalled",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i2")),
                            new Difference(
                                    "name",
                                    Drift.Kind.MISSING,
                                    "STRING",
                                    null,
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i2")),
                            new Difference(
                                    "name",
                                    Drift.Kind.NOW_NULLABLE,
                                    "STRING",
                                    "null",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i1")));
            assertThat(items.additive()).extracting(Difference::field).containsExactly("colour");
            assertThat(items.breaking())
                    .extracting(Difference::kind)
                    .containsExactlyInAnyOrder(
                            Drift.Kind.TYPE_CHANGED,
                            Drift.Kind.UNKNOWN_VALUE,
                            Drift.Kind.MISSING,
                            Drift.Kind.NOW_NULLABLE);
            assertThat(items.recordsRead()).isEqualTo(3); // REPORT: the breaking records still came back
        }
    }

    @Test
    void metadataThatNoLongerKeepsTheContractIsDiffedAndSeenAsMetadata() {
        CATALOG.replay(CATALOG.recording()
                .alter("GET", "/items/schema", schema -> {
                    JsonArray fields = ((JsonObject) schema).array("fields");
                    JsonArray.Builder kept = JsonArray.builder();
                    fields.forEach(f -> {
                        if (!"price".equals(((JsonObject) f).string("name"))) {
                            kept.add(f);
                        }
                    });
                    kept.add(Json.parse("{\"name\":\"sku\",\"type\":\"STRING\",\"nullable\":false,\"required\":true}"));
                    kept.add(Json.parse("{\"name\":\"id\",\"type\":\"INTEGER\",\"nullable\":false,\"required\":true}"));
                    return JsonObject.builder().put("fields", kept.build()).build();
                })
                .remove("GET", "/items/schema", "/fields/0")); // the first "id" (STRING) goes; the INTEGER one stays

        try (FakeConnection c = connection()) {
            StreamResult items = check(c).stream("items").orElseThrow();

            assertThat(items.metadataChecked()).isTrue();
            // Metadata lists every field the source has: price, optional in records, is gone from the source
            // (REMOVED, breaking); id now INTEGER is retyped; sku is new.
            assertThat(items.seenIn(Difference.Seen.METADATA))
                    .containsExactly(
                            new Difference(
                                    "id",
                                    Drift.Kind.TYPE_CHANGED,
                                    "STRING",
                                    "INTEGER",
                                    Difference.Seen.METADATA,
                                    0,
                                    List.of()),
                            new Difference(
                                    "price",
                                    Drift.Kind.REMOVED,
                                    "NUMBER?",
                                    null,
                                    Difference.Seen.METADATA,
                                    0,
                                    List.of()),
                            new Difference(
                                    "sku", Drift.Kind.ADDED, null, "STRING", Difference.Seen.METADATA, 0, List.of()));
            assertThat(items.seenIn(Difference.Seen.RECORDS)).isEmpty();
            // Retyping the key stopped the read; its error's drifts are the metadata's, not listed again.
            assertThat(items.seenIn(Difference.Seen.CONNECTOR)).isEmpty();
        }
    }

    @Test
    void aRecordWhosePrimaryKeyBreaksStopsTheReadAndIsSeenInThatRecord() {
        CATALOG.replay(CATALOG.recording()
                .set("GET", "/items", "/items/1/id", new JsonNumber(java.math.BigDecimal.valueOf(7))) // retyped key
                .set("GET", "/items", "/items/1/colour", new JsonString("red"))); // added, same record

        try (FakeConnection c = connection()) {
            StreamResult items = check(c).stream("items").orElseThrow();

            // Core stopped the read on the second record, even under REPORT: the first was read and checked.
            assertThat(items.recordsRead()).isEqualTo(1);
            assertThat(items.errors())
                    .extracting(StreamError::phase, StreamError::type, StreamError::nextStep)
                    .containsExactly(tuple("read", "SchemaDriftException", "GIVE_UP"));
            assertThat(items.errors().get(0).message()).contains("record '7'", "primary key");
            assertThat(items.differences())
                    .containsExactly(new Difference(
                            "id",
                            Drift.Kind.TYPE_CHANGED,
                            "STRING",
                            "INTEGER",
                            Difference.Seen.RECORDS,
                            1,
                            List.of("7")));
            assertThat(items.seenIn(Difference.Seen.CONNECTOR)).isEmpty();
            assertThat(check(c).status()).isEqualTo(ContractReport.Status.BREAKING);
        }
    }

    @Test
    void metadataThatRetypesThePrimaryKeyStopsTheReadAndEachDifferenceIsListedOnce() {
        CATALOG.replay(CATALOG.recording().alter("GET", "/items/schema", schema -> {
            JsonArray.Builder fields = JsonArray.builder();
            ((JsonObject) schema)
                    .array("fields")
                    .forEach(f -> fields.add(
                            "id".equals(((JsonObject) f).string("name"))
                                    ? ((JsonObject) f)
                                            .newBuilder()
                                            .put("type", "INTEGER")
                                            .build()
                                    : f));
            fields.add(Json.parse("{\"name\":\"sku\",\"type\":\"STRING\",\"nullable\":false,\"required\":true}"));
            return JsonObject.builder().put("fields", fields.build()).build();
        }));

        try (FakeConnection c = connection()) {
            StreamResult items = check(c).stream("items").orElseThrow();

            assertThat(items.recordsRead()).isZero(); // core's metadata check stopped the read before any record
            assertThat(items.errors())
                    .extracting(StreamError::phase, StreamError::type)
                    .containsExactly(tuple("read", "SchemaDriftException"));
            // The read's error names id too; it is listed once, as metadata, with the additive sku.
            assertThat(items.differences())
                    .containsExactly(
                            new Difference(
                                    "id",
                                    Drift.Kind.TYPE_CHANGED,
                                    "STRING",
                                    "INTEGER",
                                    Difference.Seen.METADATA,
                                    0,
                                    List.of()),
                            new Difference(
                                    "sku", Drift.Kind.ADDED, null, "STRING", Difference.Seen.METADATA, 0, List.of()));
        }
    }

    @Test
    void aPinnedContractOnTheConnectionIsTheOneChecked() {
        Schema pinned = Schema.builder()
                .required("id", FieldType.STRING)
                .required("name", FieldType.STRING)
                .required("price", FieldType.NUMBER)
                .optionalEnum("status", List.of("active"))
                .build();
        try (FakeConnection c = FakeConnection.to(CATALOG, "catalog")
                .connector(new CatalogConnector())
                .driftPolicy(DriftPolicy.REPORT)
                .contract("items", pinned)
                .build()) {
            ContractReport report = ContractCheck.on(c.connection(), c.context())
                    .streams("items")
                    .build()
                    .run();

            assertThat(report.stream("items").orElseThrow().seenIn(Difference.Seen.RECORDS))
                    .containsExactly(
                            new Difference(
                                    "status",
                                    Drift.Kind.UNKNOWN_VALUE,
                                    "one of [active]",
                                    "retired",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i2")),
                            new Difference(
                                    "price",
                                    Drift.Kind.NOW_NULLABLE,
                                    "NUMBER",
                                    "null",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("i3")));
            assertThat(report.streams()).hasSize(1);
        }
    }

    @Test
    void aStreamThatCannotBeReadIsReportedWithItsTypedErrorNotThrown() {
        CATALOG.revokeAccessTokens();
        try (FakeConnection c = connection()) {
            ContractReport report = check(c);

            StreamResult items = report.stream("items").orElseThrow();
            assertThat(items.errors())
                    .extracting(StreamError::phase, StreamError::type, StreamError::nextStep)
                    .containsExactly(
                            tuple("read", "ReauthorizationRequiredException", "REAUTHORIZE"),
                            tuple("describe", "ReauthorizationRequiredException", "REAUTHORIZE"));
            assertThat(items.recordsRead()).isZero();
            assertThat(report.status()).isEqualTo(ContractReport.Status.INCOMPLETE);
            assertThatThrownBy(report::assertNoBreakingDrift)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("streams it could not check")
                    .hasMessageContaining("ERROR in read: ReauthorizationRequiredException (next step REAUTHORIZE)");
            assertThat(report.toText()).doesNotContain(dev.switchboard.testkit.fake.VendorFake.ACCESS_TOKEN);
        }
    }

    @Test
    void theReadStopsAtTheRecordLimitWithoutAskingForMorePages() {
        try (FakeConnection c = connection()) {
            ContractReport report = ContractCheck.on(c.connection(), c.context())
                    .streams("items")
                    .maxRecords(2)
                    .build()
                    .run();

            StreamResult items = report.stream("items").orElseThrow();
            assertThat(items.recordsRead()).isEqualTo(2);
            assertThat(items.truncated()).isTrue();
            assertThat(CATALOG.requestCount(r -> r.path().equals("/items"))).isEqualTo(1);
        }
    }

    @Test
    void aPerStreamRequestIsTheOneRead() {
        try (FakeConnection c = connection()) {
            ContractCheck.on(c.connection(), c.context())
                    .streams("items")
                    .request(ReadRequest.of("items").where("status", "active"))
                    .build()
                    .run();
            assertThat(CATALOG.requests())
                    .filteredOn(r -> r.path().equals("/items"))
                    .allSatisfy(r -> assertThat(r.query("status")).isEqualTo("active"))
                    .hasSize(2);
        }
        assertThatThrownBy(() -> {
                    try (FakeConnection c = connection()) {
                        ContractCheck.on(c.connection(), c.context())
                                .streams("items")
                                .request(ReadRequest.of("tags"))
                                .build();
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream 'tags', which this check does not read");
    }

    @Test
    void theBuilderRefusesAConnectionThatHoldsRecordsBackAndUnknownStreams() {
        try (FakeConnection quarantining = FakeConnection.to(CATALOG, "catalog")
                .connector(new CatalogConnector())
                .build()) {
            assertThatThrownBy(() -> ContractCheck.on(quarantining.connection(), quarantining.context())
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("drift policy QUARANTINE")
                    .hasMessageContaining("driftPolicy(DriftPolicy.REPORT)");
        }
        try (FakeConnection c = connection()) {
            assertThatThrownBy(() -> ContractCheck.on(c.connection(), c.context())
                            .streams("orders")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("connector 'catalog' has no stream 'orders'; streams: [items, tags]");
            assertThatThrownBy(
                            () -> ContractCheck.on(c.connection(), c.context()).maxRecords(0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theReportRendersAsTextAndAsJsonWithTheSameFacts() {
        CATALOG.replay(CATALOG.recording()
                .set("GET", "/items", "/items/0/price", new JsonString("12.50"))
                .set("GET", "/items", "/items/1/colour", new JsonString("red")));
        try (FakeConnection c = connection()) {
            ContractReport report = check(c);

            JsonObject json = (JsonObject) Json.parse(report.toJson());
            assertThat(json.string("status")).isEqualTo("BREAKING");
            assertThat(json.string("connection")).isEqualTo("fake-connection");
            assertThat(json.string("connector")).isEqualTo("catalog");
            assertThat(json.string("checkedAt")).isEqualTo("2026-06-01T09:00:00Z");
            assertThat(json.number("breaking")).isEqualByComparingTo("1");
            assertThat(json.number("additive")).isEqualByComparingTo("1");
            JsonObject items = (JsonObject) json.array("streams").get(0);
            assertThat(items.number("recordsRead")).isEqualByComparingTo("3");
            assertThat(items.array("differences").elements())
                    .containsExactly(
                            Json.parse(
                                    "{\"field\":\"price\",\"kind\":\"TYPE_CHANGED\",\"classification\":\"breaking\",\"expected\":\"NUMBER?\","
                                            + "\"observed\":\"STRING\",\"seen\":\"records\",\"records\":1,\"recordIds\":[\"i1\"]}"),
                            Json.parse(
                                    "{\"field\":\"colour\",\"kind\":\"ADDED\",\"classification\":\"additive\",\"expected\":null,"
                                            + "\"observed\":\"STRING\",\"seen\":\"records\",\"records\":1,\"recordIds\":[\"i2\"]}"));

            assertThat(report.toText())
                    .contains(
                            "Contract check of connection 'fake-connection' (connector catalog) at 2026-06-01T09:00:00Z: BREAKING DRIFT",
                            "stream items: 3 records read, metadata described",
                            "  BREAKING TYPE_CHANGED price: expected NUMBER?, observed STRING [records, 1 record, e.g. i1]",
                            "  additive ADDED colour: expected (not in contract), observed STRING [records, 1 record, e.g. i2]",
                            "summary: 1 breaking, 1 additive, 0 errors in 2 streams");
            assertThatThrownBy(report::assertNoBreakingDrift).hasMessageContaining("BREAKING TYPE_CHANGED price");
        }
    }
}

package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.VendorSamples;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Salesforce payloads in the vendor samples, through this connector's parsing and mapping. */
class SalesforceSamplesTest {
    @Test
    void aCapturedQueryAnswerMapsToRecords() {
        JsonObject body = (JsonObject) VendorSamples.json("salesforce/nifi_query_sobject.json");
        assertThat(body.number("totalSize")).isEqualByComparingTo("1");
        assertThat(body.bool("done")).isTrue();

        JsonObject row = (JsonObject) body.array("records").get(0);
        Record record = new SalesforceRecords("sf", "00DKA000000fakeAAA").map("DateTestObject__c", "", row);

        assertThat(record.id()).isEqualTo("a01KA000000MRoRYAW"); // from attributes.url: the query did not select Id
        assertThat(record.source().object()).isEqualTo("DateTestObject__c");
        assertThat(record.data().has("attributes")).isFalse();
        assertThat(record.data().string("id__c")).isEqualTo("1");
        assertThat(record.data().string("date__c")).isEqualTo("2025-12-16");
        assertThat(record.data().string("time__c")).isEqualTo("13:05:30.000Z");
        assertThat(SalesforceTime.parse(record.data().string("datetime__c")))
                .isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
        assertThat(record.updatedAt()).isNull();
    }

    @Test
    void aCapturedDescribeBecomesTheSchemaItsQueryAnswerKeeps() {
        JsonObject describe = (JsonObject) VendorSamples.json("salesforce/nifi_describe_sobject.json");
        Schema schema = SalesforceTypes.schemaOf(describe);

        assertThat(describe.string("name")).isEqualTo("DateTestObject__c");
        assertThat(schema.fields())
                .extracting(Schema.Field::name, Schema.Field::type, Schema.Field::nullable)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id__c", FieldType.STRING, false),
                        org.assertj.core.groups.Tuple.tuple("date__c", FieldType.DATE, true),
                        org.assertj.core.groups.Tuple.tuple("datetime__c", FieldType.TIMESTAMP, true),
                        org.assertj.core.groups.Tuple.tuple("time__c", FieldType.STRING, true));

        JsonObject row = (JsonObject) ((JsonObject) VendorSamples.json("salesforce/nifi_query_sobject.json"))
                .array("records")
                .get(0);
        Record record = new SalesforceRecords("sf", null).map("DateTestObject__c", "", row);
        assertThat(schema.check(record.data())).isEmpty();
        assertThat(schema.diff(Schema.observe(List.of(record.data()))).breaking())
                .isEmpty();
    }

    @Test
    void compositeErrorBodiesParseAsSalesforceErrors() {
        JsonArray responses = ((JsonObject)
                        VendorSamples.json("salesforce/camel_composite_response_example_failure.json"))
                .array("compositeResponse");

        SalesforceError halted =
                SalesforceError.of(((JsonObject) responses.get(0)).get("body")).orElseThrow();
        assertThat(halted.errorCode()).isEqualTo("PROCESSING_HALTED");
        assertThat(halted.fields()).isEmpty();

        SalesforceError invalid =
                SalesforceError.of(((JsonObject) responses.get(1)).get("body")).orElseThrow();
        assertThat(invalid.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(invalid.message())
                .isEqualTo(
                        "Foreign key external ID: 0116 not found for field Invoice_External_Id__c in entity blng__Invoice__c");
        // Not a missing column: the value is wrong, not the schema.
        assertThat(invalid.removedField()).isNull();
        SalesforceError noColumn =
                new SalesforceError("INVALID_FIELD", "No such column 'Priority' on entity 'Case'.", List.of());
        assertThat(noColumn.removedField()).isEqualTo("Priority");
    }

    @Test
    void compositeSuccessBodiesAreNotErrors() {
        JsonObject first = (JsonObject)
                ((JsonObject) VendorSamples.json("salesforce/camel_composite_response_example_success.json"))
                        .array("compositeResponse")
                        .get(0);
        assertThat(SalesforceError.of(first.get("body"))).isEmpty();
        assertThat(((JsonObject) first.get("body")).string("id")).isEqualTo("a1V3E000000EXomUAM");
    }

    @Test
    void theLimitsAnswerGivesTheDailyAllowance() {
        SalesforceLimitInfo info = SalesforceLimitInfo.fromLimits(
                        (JsonObject) VendorSamples.json("salesforce/camel_limits.json"))
                .orElseThrow();
        assertThat(info).isEqualTo(new SalesforceLimitInfo(2, 15_000));
        assertThat(new SalesforceBudgetSignals(0.05).signal(info).remaining()).isEqualTo(15_000 - 2 - 750);
    }

    @Test
    void theGlobalDescribeListsAccountWithItsKeyPrefix() {
        JsonArray sobjects = ((JsonObject) VendorSamples.json("salesforce/camel_globalObjects.json")).array("sobjects");
        JsonObject account = sobjects.stream()
                .map(v -> (JsonObject) v)
                .filter(o -> "Account".equals(o.string("name")))
                .findFirst()
                .orElseThrow();
        assertThat(account.string("keyPrefix")).isEqualTo("001");
        assertThat(Soql.isIdentifier(account.string("name"))).isTrue();
        assertThat(SalesforceObjects.get("Account").fieldNames()).allMatch(Soql::isIdentifier);
    }
}

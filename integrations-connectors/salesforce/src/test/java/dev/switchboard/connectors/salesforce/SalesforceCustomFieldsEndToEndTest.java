package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.FieldMapping;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.Money;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.ValueKind;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An org's own fields and currencies on real reads: a pinned contract decides what SOQL selects,
 * the normalizer maps what comes back.
 */
class SalesforceCustomFieldsEndToEndTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final String TIER = "Customer_Tier__c";
    private static final Schema.Field TIER_FIELD = new Schema.Field(TIER, FieldType.STRING, true, false);
    private static final Schema.Field CURRENCY_FIELD =
            new Schema.Field("CurrencyIsoCode", FieldType.STRING, false, true);

    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private FakeConnection connect(Map<String, Schema> contracts) {
        FakeConnection.Builder b = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("sf-acme")
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()));
        contracts.forEach(b::contract);
        harness = b.build();
        return harness;
    }

    private static Schema declared(String stream) {
        return new SalesforceConnector()
                .descriptor().stream(stream).orElseThrow().schema();
    }

    private List<String> queries() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/query"))
                .map(r -> r.query("q"))
                .filter(q -> !q.endsWith(" FROM Organization")) // the org\'s sharing defaults, read once
                .toList();
    }

    private List<Entity> read(Normalizer normalizer, String stream) {
        List<Entity> out = new ArrayList<>();
        try (EntityStream entities = normalizer.read(harness.connection(), harness.context(), ReadRequest.of(stream))) {
            entities.forEach(out::add);
        }
        return out;
    }

    /** Gives the first two Accounts a tier, as the org's users would. */
    private List<String> tierTwoAccounts() {
        FAKE.addField("Account", TIER, "picklist", true, "Gold", "Silver", "Platinum");
        List<String> ids =
                FAKE.records("Account").stream().map(r -> r.string("Id")).toList();
        FAKE.set("Account", ids.get(0), TIER, new JsonString("Gold"));
        FAKE.set("Account", ids.get(1), TIER, new JsonString("Silver"));
        return ids;
    }

    @Test
    void aPinnedContractSelectsTheCustomFieldAndTheMappingReadsIt() {
        List<String> ids = tierTwoAccounts();
        connect(Map.of("Account", declared("Account").with(TIER_FIELD)));
        Normalizer normalizer = Normalizer.builder()
                .fieldMappings(
                        "sf-acme",
                        FieldMappings.builder()
                                .field(
                                        "Account",
                                        FieldMapping.custom(TIER, "tier", ValueKind.CODED)
                                                .withCodes(Map.of("Gold", "GOLD", "Silver", "SILVER")))
                                .build())
                .build();

        List<Entity> accounts = read(normalizer, "Account");

        assertThat(queries())
                .singleElement()
                .asString()
                .startsWith("SELECT Id, Name,")
                .contains(", " + TIER + " FROM Account");
        assertThat(accounts).hasSize(ids.size());
        Entity gold = accounts.stream()
                .filter(e -> e.origin().sourceId().equals(ids.get(0)))
                .findFirst()
                .orElseThrow();
        Value<?> tier = gold.custom("tier").orElseThrow();
        assertThat(tier.value()).isEqualTo(new Code("GOLD", "Gold"));
        assertThat(tier.provenance().sourceField()).isEqualTo(TIER);
        assertThat(tier.provenance().origin().object()).isEqualTo("Account");
        assertThat(accounts)
                .filteredOn(e -> e.custom("tier").isPresent())
                .extracting(e -> e.origin().sourceId())
                .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        // A single-currency org: revenue has no currency (see the currency tests), the tier no issue.
        assertThat(accounts)
                .allSatisfy(
                        e -> assertThat(e.issues()).extracting(i -> i.field()).containsOnly("AnnualRevenue"));
    }

    @Test
    void withoutAPinnedContractTheFieldIsNeitherSelectedNorAvailable() {
        tierTwoAccounts();
        connect(Map.of());

        List<Entity> accounts = read(Normalizer.standard(), "Account");
        assertThat(queries()).singleElement().asString().doesNotContain(TIER);
        assertThat(accounts)
                .allSatisfy(e -> assertThat(e.raw().data().has(TIER)).isFalse());

        int sent = queries().size();
        assertThatThrownBy(() -> harness.readAll(ReadRequest.of("Account").fields("Name", TIER)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'" + TIER + "' is not in the contract of stream 'Account'")
                .hasMessageContaining("pin a contract that includes it");
        assertThat(queries()).hasSize(sent);
    }

    @Test
    void requestedFieldsOfThePinnedContractAreSelectedWithTheKeys() {
        tierTwoAccounts();
        connect(Map.of("Account", declared("Account").with(TIER_FIELD)));

        List<JsonObject> rows = harness.readAll(ReadRequest.of("Account").fields(TIER)).stream()
                .map(r -> r.data())
                .toList();

        assertThat(queries())
                .singleElement()
                .asString()
                .startsWith("SELECT Id, SystemModstamp, OwnerId, " + TIER + " FROM Account");
        assertThat(rows).extracting(r -> r.string(TIER)).contains("Gold", "Silver");
    }

    @Test
    void aMultiCurrencyOrgsAmountsCarryEachRecordsCurrency() {
        FAKE.enableMultipleCurrencies("USD", "EUR");
        String euro = FAKE.records("Opportunity").get(1).string("Id");
        FAKE.set("Opportunity", euro, "CurrencyIsoCode", new JsonString("EUR"));
        connect(Map.of("Opportunity", declared("Opportunity").with(CURRENCY_FIELD)));

        List<Entity> deals = read(Normalizer.standard(), "Opportunity");

        assertThat(queries()).singleElement().asString().contains("CurrencyIsoCode");
        assertThat(deals).hasSize(5).allSatisfy(d -> assertThat(d.issues()).isEmpty());
        for (Entity deal : deals) {
            JsonObject raw = deal.raw().data();
            Value<Money> amount = deal.value(Deal.AMOUNT).orElseThrow();
            assertThat(amount.value())
                    .isEqualTo(new Money(
                            raw.number("Amount"),
                            Currency.getInstance(deal.origin().sourceId().equals(euro) ? "EUR" : "USD")));
            assertThat(amount.provenance().sourceField()).isEqualTo("Amount");
        }
    }

    @Test
    void aSingleCurrencyOrgsAmountsTakeTheConfiguredCurrencyWithNoIssueLeft() throws Exception {
        connect(Map.of());
        List<Entity> unmapped = read(Normalizer.standard(), "Opportunity");
        assertThat(unmapped).allSatisfy(d -> {
            assertThat(d.get(Deal.AMOUNT)).isEmpty();
            assertThat(d.issues())
                    .extracting(i -> i.field() + " " + i.observed())
                    .containsExactly("Amount no currency");
        });

        Path file = Path.of(
                getClass().getResource("/mappings/sf-single-currency.yaml").toURI());
        List<Entity> deals =
                read(Normalizer.builder().fieldMappings("sf-acme", file).build(), "Opportunity");

        assertThat(deals).hasSize(5).allSatisfy(d -> {
            assertThat(d.issues()).isEmpty();
            BigDecimal amount = d.raw().data().number("Amount");
            assertThat(d.get(Deal.AMOUNT)).contains(new Money(amount, Currency.getInstance("USD")));
        });
    }
}

package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/**
 * A connection's mapping that reads a standard field settles what the connector's mapper could not
 * read from the same source field, and only that.
 */
class MappingSettlesIssuesTest {
    private static final Currency USD = Currency.getInstance("USD");

    /** Like Salesforce's mapper: Amount as money in the record's CurrencyIsoCode, when it has one. */
    private static final EntityMapper DEALS = SourceRecords.mapper(
            "salesforce",
            "Opportunity",
            in -> in.entity(EntityType.DEAL)
                    .set(Deal.NAME, in.text("Name"))
                    .set(Deal.AMOUNT, in.money("Amount", "CurrencyIsoCode", null))
                    .set(Deal.CLOSE_DATE, in.date("CloseDate")));

    private static final Record SINGLE_CURRENCY = SourceRecords.salesforce("Opportunity", """
      {"attributes":{"type":"Opportunity","url":"/services/data/v62.0/sobjects/Opportunity/0065g00000DealAAA"},
       "Id":"0065g00000DealAAA","Name":"Renewal","Amount":15000.50,"CloseDate":"not a date",
       "SystemModstamp":"2024-05-02T08:00:00.000+0000"}""");

    private static Normalizer normalizer(FieldMappings mappings) {
        return Normalizer.builder()
                .serviceLoader(false)
                .mapper(DEALS)
                .fieldMappings(SourceRecords.SF, mappings)
                .build();
    }

    @Test
    void withoutAMappingTheAmountHasNoCurrencyAndSaysSo() {
        Entity deal = normalizer(FieldMappings.none()).normalize(SINGLE_CURRENCY);

        assertThat(deal.get(Deal.AMOUNT)).isEmpty();
        assertThat(deal.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Amount", Drift.Kind.MISSING),
                        org.assertj.core.groups.Tuple.tuple("CloseDate", Drift.Kind.TYPE_CHANGED));
    }

    @Test
    void aFixedCurrencyMappingYieldsTheMoneyAndSettlesOnlyTheAmountsIssue() {
        FieldMappings usd = FieldMappings.builder()
                .field("Opportunity", FieldMapping.standard("Amount", "amount").withCurrency(null, USD))
                .build();

        Entity deal = normalizer(usd).normalize(SINGLE_CURRENCY);

        Value<Money> amount = deal.value(Deal.AMOUNT).orElseThrow();
        assertThat(amount.value()).isEqualTo(new Money(new BigDecimal("15000.50"), USD));
        assertThat(amount.provenance().sourceField()).isEqualTo("Amount");
        // The date the mapper could not read is still an issue: the mapping did not touch it.
        assertThat(deal.issues()).extracting(Drift::field).containsExactly("CloseDate");
    }

    @Test
    void aMappingThatReadsNothingSettlesNothing() {
        FieldMappings fromElsewhere = FieldMappings.builder()
                .field("Opportunity", FieldMapping.standard("Amount", "amount").withCurrency("Currency__c", null))
                .build();

        Entity deal = normalizer(fromElsewhere).normalize(SINGLE_CURRENCY);

        assertThat(deal.get(Deal.AMOUNT)).isEmpty();
        assertThat(deal.issues()).extracting(Drift::field).containsExactly("Amount", "CloseDate", "Amount");
    }
}

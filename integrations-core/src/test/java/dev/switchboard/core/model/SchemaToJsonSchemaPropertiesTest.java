package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** A real JSON Schema 2020-12 validator judges records against toJsonSchema() as Schema.check does. */
class SchemaToJsonSchemaPropertiesTest {
    private static Arbitrary<Set<String>> values() {
        return Arbitraries.of("a", "b", "c").set().ofMaxSize(2);
    }

    @Provide
    Arbitrary<Schema> flatContracts() {
        return Contracts.schemas(Arbitraries.of(Contracts.NAMES), values(), 0);
    }

    @Provide
    Arbitrary<Schema> nestedContracts() {
        return Contracts.schemas(Arbitraries.of(Contracts.NAMES), values(), 2);
    }

    @Property(tries = 300)
    void aRecordThatKeepsAFlatContractValidates(@ForAll("flatContracts") Schema contract, @ForAll long seed) {
        JsonSchemaValidator validator = new JsonSchemaValidator(contract.toJsonSchema());
        Random random = new Random(seed);
        for (int i = 0; i < 5; i++) {
            JsonObject record = Contracts.keeping(contract, random);
            assertThat(contract.check(record)).as("generated to keep it").noneMatch(Drift::breaking);
            assertThat(validator.violations(record))
                    .as("%s against %s", record, contract.toJsonSchema())
                    .isEmpty();
        }
    }

    @Property(tries = 300)
    void aRecordThatKeepsANestedContractValidates(@ForAll("nestedContracts") Schema contract, @ForAll long seed) {
        JsonSchemaValidator validator = new JsonSchemaValidator(contract.toJsonSchema());
        Random random = new Random(seed);
        for (int i = 0; i < 5; i++) {
            JsonObject record = Contracts.keeping(contract, random);
            assertThat(validator.violations(record))
                    .as("%s against %s", record, contract.toJsonSchema())
                    .isEmpty();
        }
    }

    @Property(tries = 500)
    void theValidatorFailsARecordExactlyWhenCheckFindsBreakingDrift(
            @ForAll("nestedContracts") Schema contract, @ForAll long seed) {
        JsonSchemaValidator validator = new JsonSchemaValidator(contract.toJsonSchema());
        Random random = new Random(seed);
        for (int i = 0; i < 5; i++) {
            JsonObject record = Contracts.stray(Contracts.keeping(contract, random), random);
            List<Drift> breaking =
                    contract.check(record).stream().filter(Drift::breaking).toList();
            List<String> violations = validator.violations(record);
            Statistics.collect(breaking.isEmpty() ? "keeps" : "breaks");
            assertThat(violations.isEmpty())
                    .as("%s against %s: check %s, validator %s", record, contract, breaking, violations)
                    .isEqualTo(breaking.isEmpty());
        }
    }
}

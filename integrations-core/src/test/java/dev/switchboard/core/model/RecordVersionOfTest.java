package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A version given as a function is worked out on first ask, kept, and travels with {@code newBuilder()}. */
class RecordVersionOfTest {
    private static Record.Builder base() {
        return Record.builder().stream("t")
                .id("1")
                .source(new RecordSource("jdbc", "db", "t"))
                .data(JsonObject.builder().put("id", 1).build());
    }

    @Test
    void theVersionIsWorkedOutOnlyWhenAskedForAndThenKept() {
        AtomicInteger calls = new AtomicInteger();
        Record r = base().versionOf(() -> "v" + calls.incrementAndGet()).build();
        Record copy = r.newBuilder().id("2").build();
        assertThat(calls).hasValue(0);

        assertThat(r.version()).isEqualTo("v1");
        assertThat(r.version()).isEqualTo("v1");
        assertThat(r.ref().version()).isEqualTo("v1");
        assertThat(calls).hasValue(1);
        // A copy made before the first ask carries the function, not a missing version.
        assertThat(copy.version()).isEqualTo("v2");
    }

    @Test
    void aGivenVersionReplacesTheFunctionAndEqualityComparesWorkedOutVersions() {
        Record given = base().versionOf(() -> "lazy").version("given").build();
        assertThat(given.version()).isEqualTo("given");
        Record lazy = base().version("x").versionOf(() -> "given").build();
        assertThat(lazy).isEqualTo(given).hasSameHashCodeAs(given);
        assertThat(lazy.toString()).endsWith("@given]");
    }

    @Test
    void aFunctionThatReturnsNullIsAnError() {
        Record r = base().versionOf(() -> null).build();
        assertThatThrownBy(r::version).isInstanceOf(NullPointerException.class).hasMessageContaining("version");
    }
}

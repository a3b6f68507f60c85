package dev.switchboard.connectors.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A page's fetch size: a whole page in one round trip asks for one row more, so the cursor sees its end. */
class TableReaderFetchSizeTest {
    @Test
    void aFetchThatCanTakeTheWholePageAsksForOneRowMore() {
        assertThat(TableReader.fetchSize(500, 500)).isEqualTo(501);
        assertThat(TableReader.fetchSize(10_000, 500)).isEqualTo(501);
        assertThat(TableReader.fetchSize(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aSmallerFetchSizeIsKept() {
        assertThat(TableReader.fetchSize(100, 500)).isEqualTo(100);
        assertThat(TableReader.fetchSize(499, 500)).isEqualTo(499);
        assertThat(TableReader.fetchSize(1, 2)).isEqualTo(1);
    }
}

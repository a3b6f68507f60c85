package dev.switchboard.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to read: a stream, optionally the fields wanted, equality filters, a page size, and the
 * checkpoint to resume after. Immutable.
 *
 * @param stream the stream name
 * @param fields fields to return, each one the stream's contract promises ({@code Connection.contract});
 *     empty for every field of the contract. A field outside it fails the read with
 *     {@link dev.switchboard.core.error.InvalidInputException}: pin a contract that includes it
 * @param filter equality filters the connector pushes down where it can
 * @param pageSize records per vendor page, or 0 for the connector's default
 * @param since resume after this checkpoint, or null to read from the start
 */
public record ReadRequest(
        String stream,
        List<String> fields,
        Map<String, String> filter,
        int pageSize,
        @Nullable Checkpoint since) {
    public ReadRequest {
        Objects.requireNonNull(stream, "stream");
        fields = List.copyOf(fields);
        filter = Map.copyOf(filter);
        if (pageSize < 0) {
            throw new IllegalArgumentException("pageSize must not be negative");
        }
    }

    public static ReadRequest of(String stream) {
        return new ReadRequest(stream, List.of(), Map.of(), 0, null);
    }

    public ReadRequest since(@Nullable Checkpoint checkpoint) {
        return new ReadRequest(stream, fields, filter, pageSize, checkpoint);
    }

    public ReadRequest fields(String... fields) {
        return new ReadRequest(stream, List.of(fields), filter, pageSize, since);
    }

    public ReadRequest where(String field, String value) {
        Map<String, String> f = new java.util.LinkedHashMap<>(filter);
        f.put(field, value);
        return new ReadRequest(stream, fields, f, pageSize, since);
    }

    public ReadRequest pageSize(int pageSize) {
        return new ReadRequest(stream, fields, filter, pageSize, since);
    }
}

package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a row becomes a record's id and version, the one rule for reads and for the change feed: a consumer
 * applies what both deliver by (id, version), so they must agree byte for byte.
 */
public final class RowIdentity {
    private RowIdentity() {}

    /**
     * The record id of a row: its primary key value as text for a one-column key; for a composite key, each
     * value URL-encoded (so {@code /} inside a value cannot be confused with the separator) and joined by
     * {@code /} in the key's column order.
     *
     * @param keyValues the key columns' values as text, in key order
     */
    public static String id(List<String> keyValues) {
        if (keyValues.isEmpty()) {
            throw new IllegalArgumentException("a row's id needs at least one key value");
        }
        if (keyValues.size() == 1) {
            return keyValues.get(0);
        }
        StringBuilder id = new StringBuilder();
        for (String value : keyValues) {
            if (id.length() > 0) {
                id.append('/');
            }
            id.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return id.toString();
    }

    /**
     * The source version of a row: the canonical digest of its data (every column the stream delivers). Not a
     * timestamp column: two commits within one clock tick, or a writer that forgets to stamp, would leave
     * two different rows with one version, and a consumer holding the first would skip the second.
     */
    public static String version(JsonObject data) {
        return Json.canonicalDigest(data);
    }
}

package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.time.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * The one place Salesforce timestamps are read and written. Salesforce sends
 * {@code 2024-05-01T10:12:33.000+0000}: an offset without a colon, which
 * {@link OffsetDateTime#parse(CharSequence)} rejects. SOQL datetime literals are written unquoted
 * in UTC with milliseconds, so a cursor read back from a checkpoint compares equal to the stored
 * {@code SystemModstamp} (the tie-break on equal values depends on it).
 */
public final class SalesforceTime {
    private static final DateTimeFormatter SOQL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

    private SalesforceTime() {}

    /**
     * Parses a Salesforce dateTime: offsets {@code +0000}, {@code +00:00} or {@code Z}, with or
     * without fractional seconds.
     *
     * @throws IllegalArgumentException when the text is not such a timestamp
     */
    public static Instant parse(String text) {
        return Timestamps.parse(text)
                .filter(i -> text.indexOf('T') > 0)
                .orElseThrow(
                        () -> new IllegalArgumentException("not a Salesforce dateTime: '" + abbreviate(text) + "'"));
    }

    /** Parses, or returns null for null or unparseable text (for optional fields). */
    public static @Nullable Instant parseOrNull(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A SOQL datetime literal (unquoted), UTC with milliseconds: {@code 2024-05-01T10:12:33.000Z}. */
    public static String soqlLiteral(Instant instant) {
        return SOQL.format(instant);
    }

    /** The form Salesforce itself sends: {@code 2024-05-01T10:12:33.000+0000}. */
    public static String wire(Instant instant) {
        return WIRE.format(instant);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}

package dev.switchboard.core.time;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one parser for the timestamps vendors send. ISO-8601 with an offset written {@code Z},
 * {@code +02:00} or, as Salesforce does, {@code +0000} (which {@link OffsetDateTime#parse} rejects),
 * with or without fractional seconds; and epoch times (seconds, or milliseconds when the number
 * has 12 or more integer digits, with a fraction as Slack's {@code ts} has). A date-time without an
 * offset is not a timestamp: its zone is unknown, and guessing UTC would shift it silently.
 */
public final class Timestamps {
    private Timestamps() {}

    /** The instant {@code text} names, or empty when it is not such a timestamp. Never throws. */
    public static Optional<Instant> parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 64) {
            return Optional.empty();
        }
        if (isEpoch(t)) {
            return epoch(new BigDecimal(t));
        }
        Instant fast = iso(t);
        if (fast != null) {
            return Optional.of(fast);
        }
        int n = t.length();
        if (n > 5
                && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-')
                && t.indexOf('T') > 0
                && Character.isDigit(t.charAt(n - 1))
                && Character.isDigit(t.charAt(n - 4))
                && t.charAt(n - 3) != ':') {
            t = t.substring(0, n - 2) + ":" + t.substring(n - 2);
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The instant an epoch number names: seconds, or milliseconds from 12 integer digits on. */
    public static Optional<Instant> epoch(BigDecimal number) {
        try {
            BigDecimal integer = number.setScale(0, java.math.RoundingMode.DOWN).abs();
            boolean millis = integer.precision() >= 12 && integer.signum() != 0;
            BigDecimal nanos = number.movePointRight(millis ? 6 : 9).setScale(0, java.math.RoundingMode.DOWN);
            BigDecimal[] split = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
            return Optional.of(Instant.ofEpochSecond(split[0].longValueExact(), split[1].longValueExact()));
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The common shape {@code uuuu-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|+hhmm)} read by hand: it is on
     * every record of every vendor, and {@link java.time.format.DateTimeFormatter} costs about a
     * microsecond a value. Null for anything else (the formatter then decides).
     */
    private static @org.jspecify.annotations.Nullable Instant iso(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || (t.charAt(10) != 'T' && t.charAt(10) != 't')
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            if (i == start || (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9')) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        char c = i < n ? t.charAt(i) : ' ';
        if ((c == 'Z' || c == 'z') && i == n - 1) {
            offsetSeconds = 0;
        } else if ((c == '+' || c == '-') && (n - i == 6 && t.charAt(i + 3) == ':' || n - i == 5)) {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, n - 2, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (day > (month == 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month])) {
            return null;
        }
        long epochDay = epochDay(year, month, day);
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    private static final int[] DAYS_IN_MONTH = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isEpoch(String t) {
        int dots = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1 && t.charAt(0) != '.' && t.charAt(t.length() - 1) != '.' && t.length() <= 20;
    }
}

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
    int n = t.length();
    if (n > 5 && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-') && t.indexOf('T') > 0
        && Character.isDigit(t.charAt(n - 1)) && Character.isDigit(t.charAt(n - 4)) && t.charAt(n - 3) != ':') {
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

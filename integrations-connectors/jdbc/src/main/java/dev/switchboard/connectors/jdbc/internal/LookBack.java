package dev.switchboard.connectors.jdbc.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A look-back: how far below a resume cursor a read starts again. */
final class LookBack {
    private LookBack() {}

    /**
     * The cursor value {@code lookBack} before {@code cursor}, as cursor text; null when {@code lookBack} does
     * not fit a cursor of {@code kind} (or the cursor text is not one).
     */
    static @Nullable String lowerBound(ColumnTypes.Kind kind, String lookBack, String cursor) {
        try {
            switch (kind) {
                case TIMESTAMP_TZ -> {
                    return ColumnTypes.parseInstant(cursor)
                            .minus(duration(lookBack))
                            .toString();
                }
                case TIMESTAMP -> {
                    return LocalDateTime.parse(cursor).minus(duration(lookBack)).toString();
                }
                case DATE -> {
                    long days = Math.max(1, (duration(lookBack).toSeconds() + 86_399) / 86_400);
                    return LocalDate.parse(cursor).minusDays(days).toString();
                }
                case INTEGER, DECIMAL, FLOAT -> {
                    BigDecimal back = new BigDecimal(lookBack.strip());
                    if (back.signum() < 0) {
                        return null;
                    }
                    return new BigDecimal(cursor).subtract(back).toPlainString();
                }
                default -> {
                    return null;
                }
            }
        } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Duration duration(String text) {
        List<String> problems = new ArrayList<>();
        Duration d = JdbcConfig.duration(text, Duration.ZERO, "lookBack", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return d;
    }
}

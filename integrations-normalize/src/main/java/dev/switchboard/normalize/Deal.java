package dev.switchboard.normalize;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** An opportunity or deal. Immutable; every value carries its {@link Provenance}. */
public final class Deal extends Entity {
    /** Name. */
    public static final Field<String> NAME = Field.of(EntityType.DEAL, "name", ValueKind.TEXT, String.class);

    /** Amount, in its currency. */
    public static final Field<Money> AMOUNT = Field.of(EntityType.DEAL, "amount", ValueKind.MONEY, Money.class);

    /** The pipeline stage: the source's stage id, and its normalized kind (open, won, lost). */
    public static final Field<Stage> STAGE = Field.stage(EntityType.DEAL);

    /** Open, won or lost. */
    public static final Field<Coded<DealStatus>> STATUS = Field.coded(EntityType.DEAL, "status", DealStatus.class);

    /** Expected or actual close date. */
    public static final Field<LocalDate> CLOSE_DATE =
            Field.of(EntityType.DEAL, "closeDate", ValueKind.DATE, LocalDate.class);

    /** Probability of winning, 0 to 1. */
    public static final Field<BigDecimal> PROBABILITY =
            Field.of(EntityType.DEAL, "probability", ValueKind.NUMBER, BigDecimal.class);

    /** The customer organization. */
    public static final Field<EntityRef> ORGANIZATION =
            Field.ref(EntityType.DEAL, "organization", EntityType.ORGANIZATION);

    /** The user who owns it. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.DEAL, "owner", EntityType.USER);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.DEAL, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.DEAL, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS =
            List.of(NAME, AMOUNT, STAGE, STATUS, CLOSE_DATE, PROBABILITY, ORGANIZATION, OWNER, CREATED_AT, UPDATED_AT);

    Deal(Builder b) {
        super(b);
    }

    /** Name. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Amount, in its currency. */
    public Optional<Money> amount() {
        return get(AMOUNT);
    }

    /** The pipeline stage: the source's stage id, and its normalized kind (open, won, lost). */
    public Optional<Stage> stage() {
        return get(STAGE);
    }

    /** Open, won or lost. */
    public Optional<Coded<DealStatus>> status() {
        return get(STATUS);
    }

    /** Expected or actual close date. */
    public Optional<LocalDate> closeDate() {
        return get(CLOSE_DATE);
    }

    /** Probability of winning, 0 to 1. */
    public Optional<BigDecimal> probability() {
        return get(PROBABILITY);
    }

    /** The customer organization. */
    public Optional<EntityRef> organization() {
        return get(ORGANIZATION);
    }

    /** The user who owns it. */
    public Optional<EntityRef> owner() {
        return get(OWNER);
    }

    /** When the source created it. */
    public Optional<Instant> createdAt() {
        return get(CREATED_AT);
    }

    /** When the source last changed it. */
    public Optional<Instant> updatedAt() {
        return get(UPDATED_AT);
    }
}

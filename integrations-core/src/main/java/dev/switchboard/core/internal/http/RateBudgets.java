package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.time.Sleeper;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets by vendor bucket key, shared by every connection of one Switchboard: two connections to
 * the same HubSpot portal spend one budget. A key's size is agreed at build for the keys connections
 * declare ({@link #declare}: a disagreement fails the build); otherwise the first user of a key sets
 * its size, and a later one that would size it differently is logged at ERROR, once per key.
 */
public final class RateBudgets {
    private static final Logger log = LoggerFactory.getLogger(RateBudgets.class);

    private final ConcurrentHashMap<String, RateBudget> budgets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Sleeper sleeper;
    /** The shared buckets when the store is PostgreSQL; null for buckets in this process. */
    private final SharedRateBudget.@Nullable Backend shared;

    /** Budgets in this process. */
    public RateBudgets(Clock clock, Sleeper sleeper) {
        this(clock, sleeper, RateBudgetStore.inMemory());
    }

    /** Budgets whose tokens live where {@code store} says; pauses and probes stay in this process. */
    public RateBudgets(Clock clock, Sleeper sleeper, RateBudgetStore store) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.shared = store.shared() ? new SharedRateBudget.Backend(store, clock, sleeper) : null;
    }

    private RateBudget create(String key, @Nullable BudgetSettings settings, String connection) {
        Budget tokens = settings == null
                ? null
                : shared != null ? shared.budget(key, settings) : new LocalBudget(settings, clock, sleeper);
        return new RateBudget(key, settings, tokens, connection, clock, sleeper);
    }

    /**
     * Creates the budget of a key a connection declares, at build.
     *
     * @param settings the key's size for this connection; null for no local limit
     * @throws IllegalArgumentException when another connection declared the key with another size
     */
    public void declare(String key, String connection, @Nullable BudgetSettings settings) {
        RateBudget created = create(key, settings, connection);
        RateBudget existing = budgets.putIfAbsent(key, created);
        if (existing != null && !Objects.equals(existing.settings(), settings)) {
            throw new IllegalArgumentException("connections '" + existing.createdBy() + "' and '" + connection
                    + "' share the rate budget '" + key + "' but size it differently: "
                    + describe(existing.settings()) + " and " + describe(settings)
                    + "; configure the same budget on both (ConnectionConfig.budget), or none on either");
        }
    }

    /**
     * The budget of this key, sized for {@code connection} when the key is first used. When it exists
     * already with another size than {@code size} gives, the first size stays and the conflict is logged
     * at ERROR, once per key. Call it once per connection and key: it asks {@code size} each time.
     */
    RateBudget get(String key, String connection, Supplier<@Nullable BudgetSettings> size) {
        RateBudget budget = budgets.get(key);
        if (budget == null) {
            budget = budgets.computeIfAbsent(key, k -> create(k, size.get(), connection));
        }
        if (!budget.createdBy().equals(connection)) {
            BudgetSettings mine = size.get();
            if (!Objects.equals(budget.settings(), mine) && budget.firstConflict()) {
                log.error(
                        "Connections '{}' and '{}' share the rate budget '{}' but size it differently ({} and {});"
                                + " keeping the first. Configure the same budget on both, or declare the key in"
                                + " the connector's budgetKeys so that build() refuses the conflict",
                        budget.createdBy(),
                        connection,
                        key,
                        describe(budget.settings()),
                        describe(mine));
            }
        }
        return budget;
    }

    private static String describe(@Nullable BudgetSettings settings) {
        return settings == null
                ? "no local limit"
                : settings.capacity() + " at once and " + settings.permits() + " per " + settings.period();
    }

    /** The keys of the budgets that exist: used by a request, or declared by a connection at build. */
    public Set<String> keys() {
        return new TreeSet<>(budgets.keySet());
    }

    /**
     * Lifts every pause of the budget (a vendor's wait, a spent quota) and refills it.
     *
     * @return false when no budget has this key
     */
    public boolean reset(String key) {
        RateBudget budget = budgets.get(key);
        if (budget == null) {
            return false;
        }
        budget.reset();
        return true;
    }
}

package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.time.Sleeper;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Budgets by vendor bucket key, shared by every connection of one Switchboard: two connections to
 * the same HubSpot portal spend one budget. The first user of a key sets its size.
 */
public final class RateBudgets {
    private final ConcurrentHashMap<String, RateBudget> budgets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Sleeper sleeper;

    public RateBudgets(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The budget of this key, sized by {@code size} for {@code connection} when the key is first used. */
    RateBudget get(String key, String connection, Supplier<@Nullable BudgetSettings> size) {
        RateBudget budget = budgets.get(key);
        return budget != null
                ? budget
                : budgets.computeIfAbsent(key, k -> new RateBudget(k, size.get(), connection, clock, sleeper));
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

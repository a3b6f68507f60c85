package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.VendorResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-method tier budgets. Slack's Web API sends no "remaining" header, so this reader counts the
 * requests of each budget key in a sliding window of the method's limit and reports what is left:
 * when nothing is, core pauses that key until the oldest request leaves the window, so a tier is
 * not exceeded before Slack has to answer 429. (Core sizes every key's token bucket alike; the
 * per-tier limit comes from here.) Thread-safe; shared by every connection of one connector.
 */
public final class SlackBudgetSignals implements BudgetSignalReader {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final Map<String, Deque<Instant>> windows = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> overridesByTeam = new ConcurrentHashMap<>();

  /** Registers a connection's per-method limits (requests a minute) for its workspace. */
  public void register(String team, Map<String, Integer> requestsPerMinute) {
    overridesByTeam.put(team, Map.copyOf(requestsPerMinute));
  }

  @Override
  public Optional<BudgetSignal> read(VendorResponse response, Clock clock) {
    String key = response.request().budgetKey();
    if (key == null || !key.startsWith("slack:")) {
      return Optional.empty();
    }
    String[] parts = key.split(":", 4);
    if (parts.length < 4) {
      return Optional.empty();
    }
    String team = parts[1];
    boolean post = parts[2].equals(SlackTiers.POST_MESSAGE);
    String method = post ? SlackTiers.POST_MESSAGE : parts[3];
    Duration window = post ? SECOND : MINUTE;
    int limit = limit(team, method, post ? 1 : SlackTiers.perMinute(SlackTiers.tierOf(method)));
    return Optional.of(count(key, clock.instant(), window, limit));
  }

  private int limit(String team, String method, int documented) {
    Map<String, Integer> overrides = overridesByTeam.get(team);
    Integer o = overrides == null ? null : overrides.get(method);
    return o == null ? documented : o;
  }

  private BudgetSignal count(String key, Instant now, Duration window, int limit) {
    Deque<Instant> log = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (log) {
      Instant start = now.minus(window);
      while (!log.isEmpty() && !log.peekFirst().isAfter(start)) {
        log.pollFirst();
      }
      log.addLast(now);
      while (log.size() > limit) {
        log.pollFirst(); // only the newest `limit` requests matter for when the window frees up
      }
      long remaining = limit - log.size();
      @Nullable Instant oldest = log.peekFirst();
      Duration reset = oldest == null ? Duration.ZERO : Duration.between(now, oldest.plus(window));
      return new BudgetSignal(remaining, reset);
    }
  }
}

package dev.switchboard.core.auth;

import dev.switchboard.core.error.ReauthorizationRequiredException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CredentialSource} over a {@link TokenStore} that refreshes rejected credentials with a
 * {@link CredentialRefresher}, once per rejected version however many threads ask: the first caller
 * refreshes, the others wait for its result (or its error). A replacement is stored with
 * {@code compareAndSet} on the version before anyone uses it; when another writer won, the stored
 * credential is returned instead. A failed refresh leaves the stored credential as it was.
 */
public final class RefreshingCredentialSource implements CredentialSource {
  private static final Logger log = LoggerFactory.getLogger(RefreshingCredentialSource.class);

  private final TokenStore store;
  private final CredentialRefresher refresher;
  private final MeterRegistry meters;
  private final ConcurrentHashMap<String, CompletableFuture<Credential>> inFlight = new ConcurrentHashMap<>();

  private RefreshingCredentialSource(TokenStore store, CredentialRefresher refresher, MeterRegistry meters) {
    this.store = store;
    this.refresher = refresher;
    this.meters = meters;
  }

  /**
   * @param store where credentials live
   * @param refresher how a rejected credential is replaced
   * @param meters where {@code switchboard.credential.refreshes} is counted
   */
  public static RefreshingCredentialSource of(TokenStore store, CredentialRefresher refresher, MeterRegistry meters) {
    return new RefreshingCredentialSource(Objects.requireNonNull(store), Objects.requireNonNull(refresher),
        Objects.requireNonNull(meters));
  }

  /** A source that never refreshes: a rejection means the user must authorize again. */
  public static RefreshingCredentialSource withoutRefresh(TokenStore store) {
    return of(store, (key, current) -> {
      throw new ReauthorizationRequiredException("credentials", "refresh",
          "the credential for '" + key + "' was rejected and this connection has no way to refresh it");
    }, new CompositeMeterRegistry());
  }

  @Override
  public Credential current(String key) {
    return store.load(key).orElseThrow(() -> new ReauthorizationRequiredException("credentials", "load",
        "no credential is stored for '" + key + "': run the authorization flow for this connection"));
  }

  @Override
  public Credential refreshAfterRejection(String key, long rejectedVersion) {
    Credential stored = current(key);
    if (stored.version() != rejectedVersion) {
      return stored; // someone already replaced the rejected version
    }
    CompletableFuture<Credential> mine = new CompletableFuture<>();
    CompletableFuture<Credential> flight = inFlight.putIfAbsent(key, mine);
    if (flight == null) {
      try {
        mine.complete(refreshOnce(key, rejectedVersion));
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      } finally {
        inFlight.remove(key, mine);
      }
      flight = mine;
    }
    try {
      return flight.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private Credential refreshOnce(String key, long rejectedVersion) {
    Credential stored = current(key);
    if (stored.version() != rejectedVersion) {
      return stored;
    }
    Credential next;
    try {
      next = refresher.refresh(key, stored).withVersion(stored.version() + 1);
    } catch (RuntimeException e) {
      meters.counter("switchboard.credential.refreshes", "outcome", "failed").increment();
      log.warn("Refresh of credential '{}' version {} failed: {}", key, rejectedVersion, e.getMessage());
      throw e;
    }
    if (store.compareAndSet(key, stored.version(), next)) {
      meters.counter("switchboard.credential.refreshes", "outcome", "refreshed").increment();
      log.info("Refreshed credential '{}' to version {}", key, next.version());
      return next;
    }
    // Another writer (another instance) stored a newer credential first: use theirs.
    meters.counter("switchboard.credential.refreshes", "outcome", "superseded").increment();
    return current(key);
  }
}

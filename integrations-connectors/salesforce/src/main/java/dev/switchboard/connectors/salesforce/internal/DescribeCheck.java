package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.connectors.salesforce.internal.SalesforceObjects.ObjectDef;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.SchemaDiff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares each stream's pinned contract with the object's describe, at most once per object per
 * {@link #RECHECK} in a session (a describe costs one of the org's daily API requests). A field the
 * contract lacks is additive drift and only logged; a promised field that describe no longer lists,
 * or lists with another type, stops the read before any record is returned. Between two checks a
 * removed field still surfaces, as the query's 400 {@code INVALID_FIELD}.
 */
final class DescribeCheck {
  private static final Logger log = LoggerFactory.getLogger(DescribeCheck.class);
  static final Duration RECHECK = Duration.ofHours(1);

  private final Clock clock;
  private final Map<String, Instant> checkedAt = new ConcurrentHashMap<>();

  DescribeCheck(Clock clock) {
    this.clock = clock;
  }

  void verify(VendorHttp http, ObjectDef object, String budgetKey, String operation) {
    Instant last = checkedAt.get(object.name());
    Instant now = clock.instant();
    if (last != null && Duration.between(last, now).compareTo(RECHECK) < 0) {
      return;
    }
    VendorResponse response;
    try {
      response = http.execute(VendorRequest.get(SalesforceApi.describe(object.name()))
          .operation("describe " + object.name()).budgetKey(budgetKey).build());
    } catch (PermanentException e) {
      if (e.status().orElse(0) != 404) {
        throw e;
      }
      // Not a missing record: the object is not available to this user (profile, licence, org edition).
      throw new PermanentException(SalesforceRecords.CONNECTOR, operation, "Salesforce does not make " + object.name()
          + " available to this user (describe answered 404)", 404, e.vendorCode().orElse(null));
    }
    if (!(response.json() instanceof JsonObject describe)) {
      throw new PermanentException(SalesforceRecords.CONNECTOR, operation, "a describe answer that is not an object");
    }
    Schema observed = SalesforceTypes.schemaOf(describe);
    SchemaDiff diff = object.schema().diff(observed);
    // Describe's nillable is about writes; whether values are null is checked on every row instead.
    List<Drift> breaking = diff.breaking().stream().filter(d -> d.kind() != Drift.Kind.NOW_NULLABLE).toList();
    if (!breaking.isEmpty()) {
      throw new SchemaDriftException(SalesforceRecords.CONNECTOR, operation, "describe of " + object.name()
          + " no longer matches the stream's contract: " + breaking, breaking);
    }
    if (!diff.additive().isEmpty()) {
      log.info("describe of {} shows {} fields the stream does not read: {}", object.name(), diff.additive().size(),
          diff.additive().stream().map(Drift::field).limit(20).toList());
    }
    checkedAt.put(object.name(), now);
  }
}

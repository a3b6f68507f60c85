package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Visibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection knows of its org's sharing model: the organization-wide default of each object, read
 * once per session from {@code Organization}, and, when the connection asks for them, the explicit shares
 * of each page's records from the object's share table. Thread-safe.
 *
 * <p>Defaults map to a record's visibility: {@code Read}, {@code Edit} and {@code ReadEditTransfer} (Public
 * Read Only, Public Read/Write, Public Read/Write/Transfer) make it {@link Visibility#TENANT}; {@code None}
 * (Private) makes it {@link Visibility#PRIVATE} to its owner; a Contact {@code ControlledByParent} takes
 * the Account's default. Anything else ({@code ControlledByLeadOrContact}, a value Salesforce adds later, an
 * object without a default in {@code Organization} such as Task) is private. When the Organization cannot
 * be read, every default is private (fail closed), logged once, and the next read tries again.
 */
public final class SalesforceSharing {
    private static final Logger log = LoggerFactory.getLogger(SalesforceSharing.class);

    /** The prefix of a Salesforce user id, in {@code UserOrGroupId} and {@code OwnerId}. */
    static final String USER_PREFIX = "005";
    /** The prefix of a group id: a public group, a queue, or a role's group. */
    static final String GROUP_PREFIX = "00G";
    /** The ACL role of a user a record is shared with: {@code sf:user:005...}. */
    public static final String USER_ROLE = "sf:user:";
    /** The ACL role of a group a record is shared with, or of the queue that owns it: {@code sf:group:00G...}. */
    public static final String GROUP_ROLE = "sf:group:";
    /** The most record ids one share query names: keeps the query's URL short. */
    static final int SHARES_PER_QUERY = 300;

    /** The objects with a default in {@code Organization}, and the field holding it. */
    private static final Map<String, String> DEFAULT_FIELDS = orderedMap(
            "Account", "DefaultAccountAccess",
            "Contact", "DefaultContactAccess",
            "Opportunity", "DefaultOpportunityAccess",
            "Case", "DefaultCaseAccess");

    /** The share table of each object that has one, and the field holding the shared record's id. */
    private static final Map<String, String> SHARE_PARENT = orderedMap(
            "Account", "AccountId",
            "Contact", "ContactId",
            "Opportunity", "OpportunityId",
            "Case", "CaseId");

    private final boolean readShares;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile @Nullable Map<String, String> defaults;

    /** @param readShares whether each page's records' shares are read from their share tables */
    public SalesforceSharing(boolean readShares) {
        this.readShares = readShares;
    }

    /** Whether explicit shares are read. */
    public boolean readsShares() {
        return readShares;
    }

    /**
     * The org's defaults, read with one query the first time (and again after a failed read); empty when
     * the read failed, which makes every object private.
     */
    Map<String, String> defaults(VendorHttp http, String budgetKey) {
        Map<String, String> known = defaults;
        if (known != null) {
            return known;
        }
        String soql = "SELECT " + String.join(", ", DEFAULT_FIELDS.values()) + " FROM Organization";
        try {
            VendorResponse response = SalesforceErrors.execute(
                    http,
                    VendorRequest.get(SalesforceApi.QUERY)
                            .query("q", soql)
                            .operation("query Organization")
                            .budgetKey(budgetKey)
                            .build(),
                    "read sharing defaults");
            JsonObject org = response.json() instanceof JsonObject body
                            && body.get("records") instanceof JsonArray rows
                            && !rows.isEmpty()
                            && rows.get(0) instanceof JsonObject row
                    ? row
                    : null;
            if (org == null) {
                warnOnce("an Organization answer without a row");
                return Map.of();
            }
            Map<String, String> read = new HashMap<>();
            DEFAULT_FIELDS.forEach((object, field) -> {
                String value = org.string(field);
                if (value != null) {
                    read.put(object, value);
                }
            });
            Map<String, String> kept = Map.copyOf(read);
            defaults = kept;
            return kept;
        } catch (SwitchboardException e) {
            // Names the error's type and the vendor's code only: its message may quote the org's data.
            String code = e instanceof PermanentException p
                    ? p.vendorCode().map(c -> " " + c).orElse("")
                    : "";
            warnOnce(e.getClass().getSimpleName() + code);
            return Map.of();
        }
    }

    private void warnOnce(String why) {
        if (warned.compareAndSet(false, true)) {
            log.warn(
                    "Salesforce sharing defaults could not be read ({}): records are private to their owners until"
                            + " a later read succeeds",
                    why);
        }
    }

    /** The visibility of {@code object}'s records under these defaults: private unless the org's default is public. */
    static Visibility visibility(String object, Map<String, String> defaults) {
        String access = defaults.get(object);
        if ("ControlledByParent".equals(access) && object.equals("Contact")) {
            access = defaults.get("Account");
        }
        if (access == null) {
            return Visibility.PRIVATE;
        }
        return switch (access) {
            case "Read", "Edit", "ReadEditTransfer", "All" -> Visibility.TENANT;
            default -> Visibility.PRIVATE;
        };
    }

    /** Whether shares are read for records of {@code object} with this visibility: private records of a shared object. */
    boolean readsSharesOf(String object, Visibility visibility) {
        return readShares && visibility == Visibility.PRIVATE && SHARE_PARENT.containsKey(object);
    }

    /**
     * The roles each record is shared with ({@code sf:user:...}, {@code sf:group:...}), from the object's share
     * table: one query per {@value #SHARES_PER_QUERY} ids (and its queryMore pages). Records without shares
     * are absent.
     */
    Map<String, Set<String>> shares(VendorHttp http, String budgetKey, String object, List<String> ids) {
        String parent = SHARE_PARENT.get(object);
        if (parent == null || ids.isEmpty()) {
            return Map.of();
        }
        String table = object + "Share";
        Map<String, Set<String>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += SHARES_PER_QUERY) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + SHARES_PER_QUERY));
            List<String> quoted = new ArrayList<>(chunk.size());
            for (String id : chunk) {
                if (SalesforceApi.RECORD_ID.matcher(id).matches()) {
                    quoted.add(Soql.quote(id));
                }
            }
            if (quoted.isEmpty()) {
                continue;
            }
            String soql = "SELECT " + parent + ", UserOrGroupId, RowCause FROM " + table + " WHERE " + parent + " IN ("
                    + String.join(", ", quoted) + ")";
            VendorRequest request = VendorRequest.get(SalesforceApi.QUERY)
                    .query("q", soql)
                    .operation("query " + table)
                    .budgetKey(budgetKey)
                    .build();
            while (request != null) {
                VendorResponse response = SalesforceErrors.execute(http, request, "read shares of " + object);
                request = null;
                if (!(response.json() instanceof JsonObject body) || !(body.get("records") instanceof JsonArray rows)) {
                    break;
                }
                for (JsonValue v : rows) {
                    if (v instanceof JsonObject row) {
                        String id = row.string(parent);
                        String role = role(row.string("UserOrGroupId"));
                        if (id != null && role != null) {
                            out.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(role);
                        }
                    }
                }
                String next = body.string("nextRecordsUrl");
                if (Boolean.FALSE.equals(body.bool("done")) && next != null && SalesforceApi.isQueryLocator(next)) {
                    request = VendorRequest.get(next)
                            .operation("queryMore " + table)
                            .budgetKey(budgetKey)
                            .build();
                }
            }
        }
        return out;
    }

    /** The ACL role of a user or group id; null for any other kind of id (left out: narrower, never wider). */
    static @Nullable String role(@Nullable String userOrGroupId) {
        if (userOrGroupId == null) {
            return null;
        }
        if (userOrGroupId.startsWith(USER_PREFIX)) {
            return USER_ROLE + userOrGroupId;
        }
        if (userOrGroupId.startsWith(GROUP_PREFIX)) {
            return GROUP_ROLE + userOrGroupId;
        }
        return null;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}

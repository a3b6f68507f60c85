package dev.switchboard.benchmarks.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * HubSpot contacts computed from their index, never stored: contact {@code i} (from 0) is what
 * {@code FakeHubSpot.seed("contacts", n, FROM, 1 s)} holds at index {@code i} (id {@code 9000000000 + i},
 * modified at {@code FROM + i} seconds, created a day before, {@code contact<i>@example.com}, {@code First<i>},
 * the sample's last names in turn, an owner on two contacts of three), rendered as the CRM v3 API renders an
 * object: {@code id}, the properties asked for (null when unset) plus {@code createdate}, the modstamp and
 * {@code hs_object_id}, by name, then {@code createdAt}, {@code updatedAt}, {@code archived}.
 *
 * <p>Every contact has its own second, so search's order by modstamp is the order by index and by id, and a
 * filter on either is a range of indexes.
 */
public final class GeneratedContacts {
    /** The first contact's modstamp: far enough before {@link HubSpotReplay#NOW} for 100 million contacts. */
    public static final Instant FROM = Instant.parse("2023-01-01T00:00:00Z");

    public static final long FIRST_ID = 9_000_000_000L;
    public static final long STEP_MILLIS = 1000;
    /** The modstamp property of contacts. */
    public static final String MODSTAMP = "lastmodifieddate";

    private static final long FROM_MILLIS = FROM.toEpochMilli();
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private GeneratedContacts() {}

    public static long id(long i) {
        return FIRST_ID + i;
    }

    public static long modifiedMillis(long i) {
        return FROM_MILLIS + i * STEP_MILLIS;
    }

    /** The property names rendered for a request asking for {@code requested}: sorted, with the three always sent. */
    public static Collection<String> rendered(Collection<String> requested) {
        TreeSet<String> names = new TreeSet<>(requested);
        names.add("createdate");
        names.add(MODSTAMP);
        names.add("hs_object_id");
        return names;
    }

    /** Property {@code name} of contact {@code i}, as HubSpot renders it (a string), or null when unset. */
    public static @Nullable String property(String name, long i) {
        return switch (name) {
            case "email" -> "contact" + i + "@example.com";
            case "firstname" -> "First" + i;
            case "lastname" -> i % 2 == 0 ? "Johnson (Sample Contact)" : "Halligan (Sample Contact)";
            case "hubspot_owner_id" -> i % 3 == 0 ? null : "41629779";
            case "createdate" ->
                Instant.ofEpochMilli(modifiedMillis(i) - DAY_MILLIS).toString();
            case MODSTAMP -> Instant.ofEpochMilli(modifiedMillis(i)).toString();
            case "hs_object_id" -> Long.toString(id(i));
            default -> null;
        };
    }

    /** Appends contact {@code i} as a JSON object with the {@code names} given (from {@link #rendered}). */
    public static void appendJson(StringBuilder out, long i, Collection<String> names) {
        out.append("{\"id\":\"").append(id(i)).append("\",\"properties\":{");
        boolean first = true;
        for (String name : names) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(name).append("\":");
            String value = property(name, i);
            if (value == null) {
                out.append("null");
            } else {
                out.append('"').append(value).append('"'); // generated values need no escaping
            }
        }
        out.append("},\"createdAt\":\"")
                .append(property("createdate", i))
                .append("\",\"updatedAt\":\"")
                .append(property(MODSTAMP, i))
                .append("\",\"archived\":false}");
    }
}

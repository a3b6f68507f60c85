package dev.switchboard.connectors.salesforce.internal;

import java.util.regex.Pattern;

/** Paths of the Salesforce REST API version this connector speaks, relative to the instance URL. */
public final class SalesforceApi {
    public static final String VERSION = "v62.0";
    public static final String DATA = "/services/data/" + VERSION;
    public static final String QUERY = DATA + "/query";
    /** Like {@link #QUERY}, with the deleted records of the recycle bin; its locators are under {@link #QUERY} too. */
    public static final String QUERY_ALL = DATA + "/queryAll";

    public static final String SOBJECTS = DATA + "/sobjects";
    /** Record ids: 15 case-sensitive or 18 case-insensitive characters. */
    public static final Pattern RECORD_ID = Pattern.compile("[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?");
    /** The largest batch a query answer holds; Salesforce treats smaller sizes as a hint. */
    public static final int MAX_BATCH = 2000;

    private SalesforceApi() {}

    public static String describe(String object) {
        return SOBJECTS + "/" + object + "/describe";
    }

    public static String record(String object, String id) {
        if (!RECORD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Salesforce record id");
        }
        return SOBJECTS + "/" + object + "/" + id;
    }

    /** Whether a {@code nextRecordsUrl} is a query locator of this API, not a URL to somewhere else. */
    public static boolean isQueryLocator(String url) {
        return url.startsWith(QUERY + "/") && url.substring(QUERY.length() + 1).matches("[A-Za-z0-9-]{1,64}");
    }
}

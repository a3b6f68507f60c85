package dev.switchboard.core.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Removes secrets from what we log and put in exception messages: sensitive query parameters,
 * bearer tokens, and secret fields of form or JSON bodies quoted by third-party messages.
 */
public final class Redaction {
    static final String MASK = "[redacted]";
    // Query values are URL-encoded when printed; this one needs no escaping.
    static final String URL_MASK = "REDACTED";

    private static final Set<String> SENSITIVE = Set.of(
            "access_token",
            "refresh_token",
            "id_token",
            "token",
            "client_secret",
            "code",
            "code_verifier",
            "password",
            "api_key",
            "apikey",
            "key",
            "secret",
            "signature",
            "sig",
            "assertion",
            "client_assertion");

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern PAIRS = Pattern.compile(
            "(?i)([\"']?(?:access_token|refresh_token|id_token|client_secret|code_verifier|code|password|token|authorization)[\"']?\\s*[:=]\\s*[\"']?)([^\"'&\\s,}]+)");

    private Redaction() {}

    /** The URL with every sensitive query parameter's value masked. */
    public static String url(HttpUrl url) {
        if (url.querySize() == 0) {
            return url.toString();
        }
        HttpUrl.Builder b = url.newBuilder().query(null);
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            String value = url.queryParameterValue(i);
            b.addQueryParameter(name, value == null ? null : isSensitive(name) ? URL_MASK : value);
        }
        return b.build().toString();
    }

    /** A message with bearer tokens and secret name/value pairs masked. */
    public static String message(String message) {
        String m = BEARER.matcher(message).replaceAll("$1 " + MASK);
        return PAIRS.matcher(m).replaceAll("$1" + MASK);
    }

    public static boolean isSensitive(String parameterName) {
        return SENSITIVE.contains(parameterName.toLowerCase(Locale.ROOT));
    }
}

package dev.switchboard.testkit.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The secret values a test run has minted, and the scan of a text for them and for secret-shaped strings.
 *
 * <p>Values are indexed by their first {@value #MIN_LENGTH} characters so a scan costs one lookup per
 * character of text, however many values are registered. Shorter values are refused: they would match
 * ordinary text.
 */
public final class SecretRegistry {
    /** Shortest value accepted; also the index key's length. */
    public static final int MIN_LENGTH = 8;

    private static final SecretRegistry GLOBAL = new SecretRegistry();

    private record Detector(SecretKind kind, Pattern pattern) {}

    // Values are long runs of token characters, so placeholders ("Bearer <token>", "Bearer [REDACTED]",
    // "xoxb-***", "Bearer ") and prose do not match.
    private static final List<Detector> DETECTORS = List.of(
            new Detector(SecretKind.JWT_SHAPE, Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.")),
            new Detector(SecretKind.BEARER_CREDENTIAL, Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/-]{16,}=*)")),
            new Detector(SecretKind.SLACK_TOKEN_SHAPE, Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}")),
            new Detector(
                    SecretKind.SALESFORCE_SESSION_SHAPE,
                    Pattern.compile("\\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}")));

    private final Map<String, Map<String, SecretKind>> byPrefix = new ConcurrentHashMap<>();
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();

    /** The registry of the test JVM, which the end-of-run check reads. */
    public static SecretRegistry global() {
        return GLOBAL;
    }

    /** Registers {@code value} as a secret of {@code kind}; returns it, to register where it is minted. */
    public String register(SecretKind kind, String value) {
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "a " + kind + " of " + value.length() + " characters: secrets to check must have at least "
                            + MIN_LENGTH + " (shorter ones would match ordinary text)");
        }
        byPrefix.computeIfAbsent(value.substring(0, MIN_LENGTH), p -> new ConcurrentHashMap<>())
                .put(value, kind);
        return value;
    }

    /**
     * Exempts a detector match that a test uses on purpose and that is no credential (a documented example
     * JWT, say): the exact matched text.
     */
    public void allowShaped(String harmless) {
        allowed.add(harmless);
    }

    /** Every registered value or secret-shaped string in {@code text}, said to come from {@code where}. */
    public List<Finding> scan(String where, @Nullable String text) {
        List<Finding> found = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return found;
        }
        if (!byPrefix.isEmpty()) {
            for (int i = 0; i + MIN_LENGTH <= text.length(); i++) {
                Map<String, SecretKind> candidates = byPrefix.get(text.substring(i, i + MIN_LENGTH));
                if (candidates != null) {
                    for (Map.Entry<String, SecretKind> c : candidates.entrySet()) {
                        if (text.startsWith(c.getKey(), i)) {
                            found.add(new Finding(where, c.getValue(), digest(c.getKey())));
                        }
                    }
                }
            }
        }
        for (Detector d : DETECTORS) {
            Matcher m = d.pattern().matcher(text);
            while (m.find()) {
                String match = m.group();
                if (!allowed.contains(match) && !allowedCredential(m)) {
                    found.add(new Finding(where, d.kind(), digest(match)));
                }
            }
        }
        return found;
    }

    private boolean allowedCredential(Matcher m) {
        return m.groupCount() > 0 && m.group(1) != null && allowed.contains(m.group(1));
    }

    /** The first 12 hex digits of the SHA-256 of {@code value}: names a value without showing it. */
    public static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

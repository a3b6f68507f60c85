package dev.switchboard.testkit.secrets;

/**
 * One secret seen where it must not be. Holds where it was seen and a digest prefix of the value, never
 * the value: the report of a leak must not be a leak itself.
 *
 * @param where which logger (or test, or caller's label) the text came from
 * @param kind what the secret is
 * @param digest the first 12 hex digits of the value's SHA-256, to tell findings apart and match them to a
 *     registered value by hand
 */
public record Finding(String where, SecretKind kind, String digest) {
    @Override
    public String toString() {
        return kind + " (sha256 " + digest + "…) in " + where;
    }
}

package dev.switchboard.testkit;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Real vendor payloads shipped with the testkit (see {@code vendor-samples/SOURCES.txt} for their
 * origin and licence), for contract tests and for seeding fakes.
 */
public final class VendorSamples {
    private VendorSamples() {}

    /** The raw bytes of a sample, e.g. {@code hubspot/dlt_contacts_page.json}. */
    public static byte[] bytes(String name) {
        try (InputStream in = VendorSamples.class.getResourceAsStream("vendor-samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no vendor sample named " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample parsed as JSON. */
    public static JsonValue json(String name) {
        return Json.parse(bytes(name));
    }
}

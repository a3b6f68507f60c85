package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One immutable record read from a source: the envelope every connector emits and every later
 * stage (policy, cache, memory, normalization) consumes.
 *
 * <p>A record can be a <b>tombstone</b> ({@link #deleted()}): the source deleted it. A tombstone keeps
 * its stream, id, source, version and ACL (when the source gives one), the time of the delete, and in
 * {@link #data()} only its primary-key and cursor fields (so it moves the checkpoint like any record);
 * core strips every other field before a tombstone leaves a read. Drift checks skip tombstones.
 */
public final class Record {
    private final String stream;
    private final String id;
    private final RecordSource source;
    private final JsonObject data;
    private final @Nullable Instant updatedAt;
    /** The version as given, or once worked out from {@link #versionOf}. */
    private @Nullable String version;
    /**
     * Works the version out on first ask. Never cleared, and no lock: the function is pure and a String is safe
     * to publish without one, so a thread that does not yet see another's cached value computes the same one.
     */
    private final @Nullable Supplier<String> versionOf;

    private final @Nullable Acl acl;
    private final @Nullable Instant deletedAt;

    private Record(Builder b) {
        this.stream = Objects.requireNonNull(b.stream, "stream");
        this.id = Objects.requireNonNull(b.id, "id");
        this.source = Objects.requireNonNull(b.source, "source");
        this.data = Objects.requireNonNull(b.data, "data");
        this.updatedAt = b.updatedAt;
        this.version = b.version;
        this.versionOf = b.version == null ? b.versionOf : null;
        this.acl = b.acl;
        this.deletedAt = b.deletedAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder newBuilder() {
        Builder b = new Builder();
        b.stream = stream;
        b.id = id;
        b.source = source;
        b.data = data;
        b.updatedAt = updatedAt;
        b.version = version;
        b.versionOf = versionOf;
        b.acl = acl;
        b.deletedAt = deletedAt;
        return b;
    }

    /** The stream this record was read from. */
    public String stream() {
        return stream;
    }

    /** The source's primary key, as a string. */
    public String id() {
        return id;
    }

    public RecordSource source() {
        return source;
    }

    /** The record's fields as the source returned them. */
    public JsonObject data() {
        return data;
    }

    /** When the source last changed it, if the source says. */
    public @Nullable Instant updatedAt() {
        return updatedAt;
    }

    /** The source's version of this record (etag, SystemModstamp, content hash), if known. */
    public @Nullable String version() {
        String v = version;
        if (v == null) {
            Supplier<String> of = versionOf;
            if (of != null) {
                v = Objects.requireNonNull(of.get(), "the record's version function returned null");
                version = v;
            }
        }
        return v;
    }

    /** Whether this is a tombstone: the source deleted the record. */
    public boolean deleted() {
        return deletedAt != null;
    }

    /** When the source deleted it (a tombstone), else null. */
    public @Nullable Instant deletedAt() {
        return deletedAt;
    }

    /** This record as a reference: stream, id, deleted or not, version. */
    public RecordRef ref() {
        return new RecordRef(stream, id, deleted(), version());
    }

    /** Who may see it; {@code null} means deny under row-level policies. */
    public @Nullable Acl acl() {
        return acl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && stream.equals(r.stream)
                && id.equals(r.id)
                && source.equals(r.source)
                && data.equals(r.data)
                && Objects.equals(updatedAt, r.updatedAt)
                && Objects.equals(version(), r.version())
                && Objects.equals(acl, r.acl)
                && Objects.equals(deletedAt, r.deletedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, id, source, version());
    }

    /** Names the record without its data, which may be personal. */
    @Override
    public String toString() {
        String v = version();
        return "Record[" + source.connection() + "/" + stream + "/" + id + (v == null ? "" : "@" + v)
                + (deletedAt == null ? "" : " deleted") + "]";
    }

    /** Builds a {@link Record}; stream, id, source and data are required. */
    public static final class Builder {
        private @Nullable String stream;
        private @Nullable String id;
        private @Nullable RecordSource source;
        private @Nullable JsonObject data;
        private @Nullable Instant updatedAt;
        private @Nullable String version;
        private @Nullable Supplier<String> versionOf;
        private @Nullable Acl acl;
        private @Nullable Instant deletedAt;

        private Builder() {}

        public Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder source(RecordSource source) {
            this.source = source;
            return this;
        }

        public Builder data(JsonObject data) {
            this.data = data;
            return this;
        }

        public Builder updatedAt(@Nullable Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(@Nullable String version) {
            this.version = version;
            this.versionOf = null;
            return this;
        }

        /**
         * The version, worked out only when {@link Record#version()} is first asked for (then kept): for a version
         * that costs something to compute, such as a digest of the data, which many reads never look at. The
         * function must be pure (same answer every call; it may run more than once when threads race) and must
         * not return null. Replaces any {@link #version(String)} given before.
         */
        public Builder versionOf(Supplier<String> versionOf) {
            this.versionOf = Objects.requireNonNull(versionOf, "versionOf");
            this.version = null;
            return this;
        }

        public Builder acl(@Nullable Acl acl) {
            this.acl = acl;
            return this;
        }

        /**
         * Makes this a tombstone: the source deleted the record at {@code at}. Keep only the primary-key and
         * cursor fields in {@link #data}; core strips the rest.
         */
        public Builder deleted(@Nullable Instant at) {
            this.deletedAt = at;
            return this;
        }

        public Record build() {
            return new Record(this);
        }
    }
}

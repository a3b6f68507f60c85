package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One immutable record read from a source: the envelope every connector emits and every later
 * stage (policy, cache, memory, normalization) consumes.
 */
public final class Record {
    private final String stream;
    private final String id;
    private final RecordSource source;
    private final JsonObject data;
    private final @Nullable Instant updatedAt;
    private final @Nullable String version;
    private final @Nullable Acl acl;

    private Record(Builder b) {
        this.stream = Objects.requireNonNull(b.stream, "stream");
        this.id = Objects.requireNonNull(b.id, "id");
        this.source = Objects.requireNonNull(b.source, "source");
        this.data = Objects.requireNonNull(b.data, "data");
        this.updatedAt = b.updatedAt;
        this.version = b.version;
        this.acl = b.acl;
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
        b.acl = acl;
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
        return version;
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
                && Objects.equals(version, r.version)
                && Objects.equals(acl, r.acl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, id, source, version);
    }

    /** Names the record without its data, which may be personal. */
    @Override
    public String toString() {
        return "Record[" + source.connection() + "/" + stream + "/" + id + (version == null ? "" : "@" + version) + "]";
    }

    /** Builds a {@link Record}; stream, id, source and data are required. */
    public static final class Builder {
        private @Nullable String stream;
        private @Nullable String id;
        private @Nullable RecordSource source;
        private @Nullable JsonObject data;
        private @Nullable Instant updatedAt;
        private @Nullable String version;
        private @Nullable Acl acl;

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
            return this;
        }

        public Builder acl(@Nullable Acl acl) {
            this.acl = acl;
            return this;
        }

        public Record build() {
            return new Record(this);
        }
    }
}

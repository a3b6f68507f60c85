package dev.switchboard.core.connector;

import java.util.Objects;

/**
 * Where an incremental read resumes: after the record with this cursor value and this id. The id
 * breaks ties between records with equal cursor values, so none is lost ({@code >}) or read twice
 * ({@code >=}). A connector resumes with {@code cursor > value OR (cursor = value AND id > id)}.
 */
public record CursorPosition(String cursor, String id) {
    public CursorPosition {
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(id, "id");
    }
}

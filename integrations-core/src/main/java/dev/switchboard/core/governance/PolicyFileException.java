package dev.switchboard.core.governance;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A policy file ({@link PermissionPolicy#fromFile}) that cannot be used: unreadable, not valid JSON or YAML,
 * or a rule with an unknown key, a value of the wrong type, an unknown effect, a bad range or a missing
 * name. The message names the file, the rule (by name and by its index in {@code rules}) and the field, and
 * says what to write instead. It is an {@link IllegalArgumentException}, like every configuration mistake
 * Switchboard's builders reject; it never quotes a value beyond the policy's own names.
 */
public final class PolicyFileException extends IllegalArgumentException {
    private final Path file;
    private final @Nullable String rule;
    private final @Nullable String field;

    PolicyFileException(Path file, @Nullable String rule, @Nullable String field, String problem) {
        this(file, rule, field, problem, null);
    }

    PolicyFileException(
            Path file, @Nullable String rule, @Nullable String field, String problem, @Nullable Throwable cause) {
        super(
                "policy file " + file
                        + (rule == null ? "" : ", " + rule)
                        + (field == null ? "" : ", field '" + field + "'")
                        + ": " + problem,
                cause);
        this.file = Objects.requireNonNull(file, "file");
        this.rule = rule;
        this.field = field;
    }

    /** The policy file. */
    public Path file() {
        return file;
    }

    /** The rule at fault, as {@code rule 'name' (rules[i])}, or {@code rules[i]} when it has no name yet. */
    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }

    /** The field at fault, as a path within the rule (such as {@code argument.range.max}) or a top-level key. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}

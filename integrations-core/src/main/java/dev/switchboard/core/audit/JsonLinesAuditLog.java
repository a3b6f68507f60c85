package dev.switchboard.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditLog} of JSON-lines files in one directory, the embedded default: each writer's chain is in files
 * {@code <writer>.<n>.jsonl} ({@code n} from 000001), one {@link AuditEntry#line()} per line. When a file would
 * grow past {@link Builder#maxFileBytes} the next entry starts file {@code n+1}; the chain runs on across files (the
 * new file's first entry holds the hash of the previous file's last), so rotated files can be archived and still
 * verified, and a missing file is found as deleted entries.
 *
 * <p>Each append writes one line and, by default, forces it to the disk before returning ({@link Builder#sync}); a
 * write that fails is cut off again, so no partial line stays. One instance at a time appends to a writer's chain;
 * several instances may share the directory with writer ids of their own.
 */
public final class JsonLinesAuditLog implements AuditLog {
    private static final Pattern FILE = Pattern.compile("(.+)\\.(\\d{6,})\\.jsonl");

    private final Path directory;
    private final long maxFileBytes;
    private final boolean sync;
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();

    /** One writer's open file, and what was last appended. */
    private static final class Writer {
        int index;

        @Nullable
        FileChannel channel;

        long size;

        @Nullable
        AuditEntry last;

        boolean loaded;
    }

    private JsonLinesAuditLog(Builder b) {
        this.directory = b.directory;
        this.maxFileBytes = b.maxFileBytes;
        this.sync = b.sync;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit log directory " + directory, e);
        }
    }

    /** A log in {@code directory} (created if missing). */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The files of a writer's chain, in order. */
    public List<Path> files(String writerId) {
        AuditEntry.checkWriterId(writerId);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(p -> {
                        Matcher m = FILE.matcher(p.getFileName().toString());
                        return m.matches() && m.group(1).equals(writerId);
                    })
                    .sorted((a, b) -> Long.compare(index(a), index(b)))
                    .forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the audit log directory " + directory, e);
        }
        return found;
    }

    private static long index(Path file) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    private Path file(String writerId, int index) {
        return directory.resolve(writerId + "." + String.format("%06d", index) + ".jsonl");
    }

    @Override
    public void append(AuditEntry entry) {
        Writer w = writers.computeIfAbsent(AuditEntry.checkWriterId(entry.writerId()), id -> new Writer());
        synchronized (w) {
            load(entry.writerId(), w);
            long expected = w.last == null ? 1 : w.last.seq() + 1;
            if (entry.seq() != expected) {
                throw new IllegalStateException("entry " + entry.seq() + " does not follow the last entry of writer "
                        + entry.writerId() + " (" + (expected - 1) + "): another instance appends under this writer"
                        + " id, or the log was changed");
            }
            byte[] line = (entry.line() + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                if (w.channel == null || (w.size > 0 && w.size + line.length > maxFileBytes)) {
                    if (w.channel != null) {
                        w.channel.close();
                        w.channel = null;
                        w.index++;
                    }
                    w.channel = FileChannel.open(
                            file(entry.writerId(), w.index),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
                    w.size = w.channel.size();
                }
                FileChannel c = w.channel;
                long before = w.size;
                try {
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        c.write(buffer);
                    }
                    if (sync) {
                        c.force(false);
                    }
                } catch (IOException e) {
                    try {
                        c.truncate(before);
                    } catch (IOException ignored) {
                        e.addSuppressed(ignored);
                    }
                    throw e;
                }
                w.size = before + line.length;
                w.last = entry;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not append audit entry " + entry.seq() + " of writer " + entry.writerId() + " to "
                                + directory + ": " + e.getClass().getSimpleName(),
                        e);
            }
        }
    }

    /** Finds the writer's current file and last entry, once. */
    private void load(String writerId, Writer w) {
        if (w.loaded) {
            return;
        }
        List<Path> files = files(writerId);
        w.index = files.isEmpty() ? 1 : (int) index(files.get(files.size() - 1));
        w.last = null;
        for (int i = files.size() - 1; i >= 0 && w.last == null; i--) {
            List<String> lines = lines(files.get(i));
            if (!lines.isEmpty()) {
                w.last = AuditEntry.parse(writerId, lines.get(lines.size() - 1));
            }
        }
        w.loaded = true;
    }

    private static List<String> lines(Path file) {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (java.nio.charset.MalformedInputException e) {
            // Not UTF-8 any more: one unreadable line stands for the damaged file.
            return List.of("\u0000");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log file " + file, e);
        }
    }

    @Override
    public Optional<AuditEntry> last(String writerId) {
        Writer w = writers.computeIfAbsent(AuditEntry.checkWriterId(writerId), id -> new Writer());
        synchronized (w) {
            load(writerId, w);
            return Optional.ofNullable(w.last);
        }
    }

    @Override
    public List<AuditEntry> entries(String writerId) {
        List<AuditEntry> entries = new ArrayList<>();
        for (Path file : files(writerId)) {
            for (String line : lines(file)) {
                entries.add(AuditEntry.parse(writerId, line));
            }
        }
        return List.copyOf(entries);
    }

    @Override
    public Set<String> writers() {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(p -> {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the audit log directory " + directory, e);
        }
        return found;
    }

    @Override
    public void close() {
        for (Writer w : writers.values()) {
            synchronized (w) {
                if (w.channel != null) {
                    try {
                        w.channel.close();
                    } catch (IOException ignored) {
                        // closing a file we only appended to and forced
                    }
                    w.channel = null;
                }
                w.loaded = false;
            }
        }
    }

    @Override
    public String toString() {
        return "JsonLinesAuditLog[" + directory + "]";
    }

    /** Builds a {@link JsonLinesAuditLog}. */
    public static final class Builder {
        private final Path directory;
        private long maxFileBytes = 64L * 1024 * 1024;
        private boolean sync = true;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The size after which the next entry starts a new file; 64 MiB by default, at least 1 KiB. */
        public Builder maxFileBytes(long maxFileBytes) {
            if (maxFileBytes < 1024) {
                throw new IllegalArgumentException("maxFileBytes is at least 1024, not " + maxFileBytes);
            }
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** Whether each append is forced to the disk before it returns; true by default. */
        public Builder sync(boolean sync) {
            this.sync = sync;
            return this;
        }

        public JsonLinesAuditLog build() {
            return new JsonLinesAuditLog(this);
        }
    }
}

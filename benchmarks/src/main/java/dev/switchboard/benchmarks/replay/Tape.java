package dev.switchboard.benchmarks.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recorded exchanges, in the order they were sent: what a client sent (method, target, the headers it chose,
 * body) and what the vendor answered (status, headers, body). Immutable.
 */
public record Tape(List<Exchange> exchanges) {
    /** Headers the transport sets for itself, identical for every OkHttp client: not part of what a side chose. */
    static final Set<String> TRANSPORT_HEADERS = Set.of(
            "host",
            "connection",
            "content-length",
            "accept-encoding",
            "content-encoding",
            "transfer-encoding",
            "user-agent");

    public Tape {
        exchanges = List.copyOf(exchanges);
    }

    /** One request and its answer. Header lists alternate name and value. */
    public record Exchange(
            String method,
            String target,
            List<String> requestHeaders,
            byte[] requestBody,
            int status,
            List<String> responseHeaders,
            byte[] responseBody) {
        public Exchange {
            requestHeaders = List.copyOf(requestHeaders);
            responseHeaders = List.copyOf(responseHeaders);
        }

        /** The bytes that identify the request at the server: method, target and body. */
        String key() {
            return method + ' ' + target + '\n' + new String(requestBody, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** The total of the response bodies: what each side of a benchmark receives per pass over the tape. */
    public long responseBytes() {
        long n = 0;
        for (Exchange e : exchanges) {
            n += e.responseBody().length;
        }
        return n;
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(exchanges.size());
            for (Exchange e : exchanges) {
                out.writeUTF(e.method());
                out.writeUTF(e.target());
                writeStrings(out, e.requestHeaders());
                writeBytes(out, e.requestBody());
                out.writeInt(e.status());
                writeStrings(out, e.responseHeaders());
                writeBytes(out, e.responseBody());
            }
        }
    }

    public static Tape read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            List<Exchange> exchanges = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String method = in.readUTF();
                String target = in.readUTF();
                List<String> reqHeaders = readStrings(in);
                byte[] reqBody = readBytes(in);
                int status = in.readInt();
                List<String> respHeaders = readStrings(in);
                byte[] respBody = readBytes(in);
                exchanges.add(new Exchange(method, target, reqHeaders, reqBody, status, respHeaders, respBody));
            }
            return new Tape(exchanges);
        }
    }

    static boolean transport(String header) {
        return TRANSPORT_HEADERS.contains(header.toLowerCase(Locale.ROOT));
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}

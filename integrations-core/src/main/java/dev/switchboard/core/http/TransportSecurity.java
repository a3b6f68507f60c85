package dev.switchboard.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;

/**
 * The one place that says how Switchboard's HTTP is protected in transit: TLS 1.3 preferred, TLS 1.2 the
 * minimum, modern cipher suites only; plain HTTP only to a loopback host unless a connection explicitly
 * allows it. Every OkHttp client Switchboard builds (the shared pipeline's, the OAuth token endpoint's) uses
 * {@link #connectionSpecs()}; a client the application hands in keeps its own specs but must not allow TLS
 * below 1.2 ({@link #requireModernTls}).
 */
public final class TransportSecurity {
    /**
     * OkHttp's {@code RESTRICTED_TLS} cipher suites (TLS 1.3's AEAD suites, and for TLS 1.2 only ECDHE key
     * exchange with AES-GCM or ChaCha20-Poly1305: forward secrecy and authenticated encryption, no CBC, no
     * SHA-1 MACs, no static RSA key exchange), with the versions pinned to TLS 1.3 and 1.2 here so that the
     * minimum is ours and does not move with an OkHttp upgrade. {@code MODERN_TLS} has the same versions but
     * also the CBC and RSA-key-exchange suites kept for old servers; every vendor we connect to negotiates
     * ECDHE-GCM, so we take the restricted list. The socket enables the intersection of these and what the
     * JVM supports, preferring the server's choice, which is TLS 1.3 whenever both sides have it.
     */
    private static final ConnectionSpec TLS = new ConnectionSpec.Builder(ConnectionSpec.RESTRICTED_TLS)
            .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
            .build();

    /** CLEARTEXT only so that {@code http://} URLs work at all; which ones may is decided per URL. */
    private static final List<ConnectionSpec> SPECS = List.of(TLS, ConnectionSpec.CLEARTEXT);

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private TransportSecurity() {}

    /** The connection specs of every client Switchboard builds: TLS 1.3/1.2 with modern suites, and cleartext. */
    public static List<ConnectionSpec> connectionSpecs() {
        return SPECS;
    }

    /**
     * Refuses an application's client whose TLS connection specs offer a version below 1.2, or every version
     * the JVM enables (what that is depends on the JVM's configuration, which may re-enable TLS 1.0). Refused
     * rather than warned about: a warning would still let credentials travel over a protocol the governance
     * rule forbids, and the fix is one builder call.
     *
     * @param whose what the client is for, for the message ("the Switchboard", "OAuth provider 'crm'")
     * @throws InsecureTransportException naming the offending versions and the fix
     */
    public static void requireModernTls(OkHttpClient client, String whose) {
        for (ConnectionSpec spec : client.connectionSpecs()) {
            if (!spec.isTls()) {
                continue;
            }
            List<TlsVersion> versions = spec.tlsVersions();
            List<String> weak = new ArrayList<>();
            if (versions == null) {
                weak.add("every version the JVM enables");
            } else {
                for (TlsVersion v : versions) {
                    if (v != TlsVersion.TLS_1_3 && v != TlsVersion.TLS_1_2) {
                        weak.add(v.javaName());
                    }
                }
            }
            if (!weak.isEmpty()) {
                throw new InsecureTransportException("the OkHttp client given to " + whose
                        + " allows TLS below 1.2 (" + String.join(", ", weak) + "): give it"
                        + " connectionSpecs(TransportSecurity.connectionSpecs()), or specs limited to TLS 1.3"
                        + " and 1.2 such as ConnectionSpec.RESTRICTED_TLS or MODERN_TLS");
            }
        }
    }

    /**
     * Whether {@code url} is plain {@code http} to a host that is not loopback: allowed only where the
     * configuration explicitly says so.
     */
    public static boolean isPlainHttpToRemoteHost(HttpUrl url) {
        return !url.isHttps() && !isLoopback(url.host());
    }

    /**
     * Whether a host, as written, is loopback: {@code localhost}, an IPv4 literal in {@code 127.0.0.0/8}, or
     * the IPv6 literal {@code ::1} (bracketed or not, in any spelling). A name is never resolved: what a name
     * resolves to is up to whoever answers DNS (a name can resolve to 127.0.0.1 when checked and to another
     * host when connected), resolving at configuration time blocks and fails offline, and only a literal
     * says for certain that the bytes never leave the machine.
     */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        Matcher v4 = IPV4.matcher(h);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(v4.group(1)) == 127;
        }
        if (h.indexOf(':') >= 0 && h.matches("[0-9a-f:.]+")) {
            // An IPv6 literal (checked above, so that nothing here is ever looked up in DNS).
            try {
                return java.net.InetAddress.getByName(h).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The error for plain HTTP to a host that is not loopback. Names the host only: never the URL's path,
     * query or user info.
     *
     * @param whose the connection or client ("connection 'crm'")
     * @param allowOption the setting that allows it explicitly ("ConnectionConfig.Builder.allowPlainHttp(true)")
     */
    public static InsecureTransportException plainHttpRefused(String whose, String host, String allowOption) {
        return new InsecureTransportException(whose + " would send plain HTTP to " + host
                + ", which is not a loopback host (localhost, 127.0.0.0/8, ::1): use an https:// URL, or allow"
                + " plain HTTP explicitly with " + allowOption + " (logged as a warning)");
    }
}

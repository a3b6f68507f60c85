package dev.switchboard.examples;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.contract.ContractCheck;
import dev.switchboard.testkit.contract.ContractReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs the connector contract check against a live account, for a scheduler: reads each stream
 * of one connection (up to a limit), compares records and the vendor's metadata with the pinned
 * contracts, prints the report, and exits 0 when nothing breaking showed, 1 on breaking drift, 2
 * when it could not run or could not check every stream (the message says what to fix).
 *
 * <pre>
 * SWITCHBOARD_ACCESS_TOKEN=... java ... ContractCheckCommand --connector hubspot --setting portalId=62515 --format json
 * ./mvnw -q -B -Pcontract-check -Dcontract.args="--connector slack --setting team_id=T0123 --token-file /run/secrets/slack"
 * </pre>
 *
 * With {@code --contracts DIR} the streams are checked against the contract files in DIR
 * ({@code <stream>.json}, see {@link Schema#load}) instead of the connector's declared schemas; with
 * {@code --write-contracts DIR} the command also writes, per stream checked, the contract a team can
 * commit and pin: the schema the vendor's metadata describes ({@link Connection#describe}), or, for
 * a stream without metadata, the contract in force widened by the records read ({@link Schema#widen}).
 *
 * <p>The access token comes from the environment variable {@value #TOKEN_ENV} or from
 * {@code --token-file}, never from an argument (arguments show in {@code ps}); it is never printed.
 * Logs go to stderr; stdout carries the report only (or nothing, with {@code --out}).
 */
public final class ContractCheckCommand {
    /** The environment variable holding the access token. */
    public static final String TOKEN_ENV = "SWITCHBOARD_ACCESS_TOKEN";

    public static final int OK = 0;
    public static final int BREAKING = 1;
    public static final int CANNOT_RUN = 2;

    private static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "hubspot", "https://api.hubapi.com",
            // The Slack connector appends /api/{method} itself.
            "slack", "https://slack.com");
    private static final String USAGE = """
      usage: ContractCheckCommand --connector salesforce|hubspot|slack [options]
        --base-url URL        the API's base URL (Salesforce: the org's instance URL, required;
                              default https://api.hubapi.com for HubSpot, https://slack.com for Slack)
        --token-file PATH     a file holding the access token (else the environment variable %s)
        --setting NAME=VALUE  a connection setting, repeatable: HubSpot portalId (required),
                              Slack team_id (required), Salesforce org_id
        --streams a,b         the streams to check (default: all)
        --filter S:F=V        read stream S with the equality filter F=V, repeatable
                              (e.g. messages:channel=C0123)
        --max-records N       records read per stream (default %d)
        --format text|json    the report's form (default text)
        --out FILE            write the report to FILE instead of stdout
        --contracts DIR       check against the contract files DIR/<stream>.json instead of the
                              connector's declared schemas
        --write-contracts DIR write DIR/<stream>.json per stream checked: the schema the vendor's
                              metadata describes, else the contract widened by the records read
      exit status: 0 no breaking drift, 1 breaking drift, 2 could not run or could not check every stream
      """.formatted(TOKEN_ENV, ContractCheck.DEFAULT_MAX_RECORDS);

    private ContractCheckCommand() {}

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty(
                    "logback.configurationFile",
                    "contract-check-logback.xml"); // logs to stderr, before any logger exists
        }
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** A usage or setup problem; its message says what to fix. */
    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed arguments. */
    private record Options(
            String connector,
            String baseUrl,
            @Nullable Path tokenFile,
            Map<String, String> settings,
            List<String> streams,
            List<ReadRequest> requests,
            int maxRecords,
            boolean json,
            @Nullable Path out,
            @Nullable Path contracts,
            @Nullable Path writeContracts) {
        ReadRequest request(String stream) {
            return requests.stream()
                    .filter(r -> r.stream().equals(stream))
                    .findFirst()
                    .orElse(ReadRequest.of(stream));
        }
    }

    /**
     * Runs the check; returns the exit status.
     *
     * @param env the environment (for {@value #TOKEN_ENV})
     * @param out where the report goes unless {@code --out} is given
     * @param err where problems are explained
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            return OK;
        }
        Options options;
        String token;
        Map<String, Schema> pinned;
        try {
            options = parse(args);
            token = token(options, env);
            pinned = contracts(options.contracts());
        } catch (UsageException e) {
            err.println("contract check: " + e.getMessage());
            err.print(USAGE);
            return CANNOT_RUN;
        }
        ContractReport report;
        boolean written = true;
        try (Switchboard switchboard = switchboard(options, token, pinned)) {
            AgentContext context = AgentContext.of(Principal.user("contract-check", "contract-check"));
            Connection connection = switchboard.connection("contract-check");
            checkPinnedStreams(connection, pinned, options.contracts());
            ContractCheck.Builder check = ContractCheck.on(connection, context).maxRecords(options.maxRecords());
            if (!options.streams().isEmpty()) {
                check.streams(options.streams());
            }
            options.requests().forEach(check::request);
            ContractCheck built = check.build();
            report = built.run();
            if (options.writeContracts() != null) {
                written = writeContracts(connection, context, built.streams(), options, err);
            }
        } catch (RuntimeException e) {
            // A connector refusing its settings, an unknown stream: nothing was checked.
            err.println("contract check: could not run: " + e.getMessage());
            return CANNOT_RUN;
        }
        String text = options.json() ? report.toJson() + "\n" : report.toText();
        if (options.out() != null) {
            try {
                Files.writeString(options.out(), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("contract check: cannot write the report to " + options.out() + ": " + e.getMessage());
                return CANNOT_RUN;
            }
        } else {
            out.print(text);
        }
        if (!written) {
            err.println("contract check: some contract files could not be written; the lines above say which and why");
            return CANNOT_RUN;
        }
        return switch (report.status()) {
            case OK -> OK;
            case BREAKING -> BREAKING;
            case INCOMPLETE -> {
                err.println(
                        "contract check: some streams could not be checked; the report names each error and its next step");
                yield CANNOT_RUN;
            }
        };
    }

    /** The contract files of {@code dir}, by stream: every {@code *.json} file in it (other files are left alone). */
    private static Map<String, Schema> contracts(@Nullable Path dir) throws UsageException {
        Map<String, Schema> contracts = new TreeMap<>();
        if (dir == null) {
            return contracts;
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(
                    "--contracts " + dir + " is not a directory; give the directory holding <stream>.json files");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .toList()) {
                String name = file.getFileName().toString();
                contracts.put(name.substring(0, name.length() - ".json".length()), Schema.load(file));
            }
        } catch (IOException e) {
            throw new UsageException("cannot list the contract directory " + dir + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(String.valueOf(e.getMessage())); // names the file, the field and what to fix
        }
        if (contracts.isEmpty()) {
            throw new UsageException(
                    "--contracts " + dir + " holds no <stream>.json file; write some with --write-contracts");
        }
        return contracts;
    }

    /** A file for a stream the connector does not have is a mistake (a typo, another connector's directory). */
    private static void checkPinnedStreams(Connection connection, Map<String, Schema> pinned, @Nullable Path dir) {
        if (dir == null) {
            return; // no --contracts: nothing is pinned
        }
        List<String> streams = connection.descriptor().streams().stream()
                .map(StreamDescriptor::name)
                .toList();
        for (String stream : pinned.keySet()) {
            if (!streams.contains(stream)) {
                throw new IllegalArgumentException(dir.resolve(stream + ".json") + ": connector '"
                        + connection.descriptor().id() + "' has no stream '" + stream
                        + "'; name each file after a stream: " + streams);
            }
        }
    }

    /**
     * Writes {@code <stream>.json} per stream: the metadata's schema, else the contract widened by the
     * records read. Returns false when some stream could not be written; the reasons go to {@code err}.
     */
    private static boolean writeContracts(
            Connection connection, AgentContext context, List<String> streams, Options o, PrintStream err) {
        Path dir = Objects.requireNonNull(o.writeContracts(), "called only with --write-contracts");
        boolean all = true;
        for (String stream : streams) {
            Path file = dir.resolve(stream + ".json");
            try {
                Optional<Schema> described = connection.describe(context, stream);
                String from;
                Schema schema;
                if (described.isPresent()) {
                    schema = described.get();
                    from = "the vendor's metadata";
                } else {
                    List<JsonObject> records = read(connection, context, o.request(stream), o.maxRecords());
                    schema = connection.contract(stream).widen(records);
                    from = "the contract and " + records.size() + " records read";
                }
                schema.write(file);
                err.println("contract check: wrote " + file + " ("
                        + schema.fields().size() + " fields, from " + from + ")");
            } catch (RuntimeException e) {
                all = false;
                err.println("contract check: could not write " + file + ": "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return all;
    }

    private static List<JsonObject> read(Connection connection, AgentContext context, ReadRequest request, int max) {
        List<JsonObject> records = new ArrayList<>();
        try (RecordStream stream = connection.read(context, request)) {
            Iterator<Record> it = stream.iterator();
            while (records.size() < max && it.hasNext()) {
                records.add(it.next().data());
            }
        }
        return records;
    }

    private static Switchboard switchboard(Options o, String token, Map<String, Schema> pinned) {
        Clock clock = Clock.systemUTC();
        ConnectionConfig.Builder builder = ConnectionConfig.builder("contract-check")
                .connector(o.connector())
                .baseUrl(o.baseUrl())
                .settings(o.settings())
                .driftPolicy(DriftPolicy.REPORT);
        pinned.forEach(builder::contract);
        ConnectionConfig config = builder.build();
        TokenStore store = TokenStore.inMemory(clock);
        // Salesforce sends requests to the credential's instance_url: the base URL given is the org's.
        Credential credential = Credential.builder(token)
                .attributes(o.connector().equals("salesforce") ? Map.of("instance_url", o.baseUrl()) : Map.of())
                .build();
        store.compareAndSet(config.id(), 0, credential);
        return Switchboard.builder()
                .connection(config)
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(AuditSink.inMemory())
                .clock(clock)
                .sleeper(Sleeper.system())
                .build();
    }

    private static String token(Options o, Map<String, String> env) throws UsageException {
        String token;
        if (o.tokenFile() != null) {
            try {
                token = Files.readString(o.tokenFile(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the token file " + o.tokenFile() + ": " + e.getMessage());
            }
            if (token.isEmpty()) {
                throw new UsageException("the token file " + o.tokenFile() + " is empty");
            }
            return token;
        }
        token = env.get(TOKEN_ENV);
        if (token == null || token.isBlank()) {
            throw new UsageException(
                    "no access token: set the environment variable " + TOKEN_ENV + " or pass --token-file");
        }
        return token.strip();
    }

    private static Options parse(String[] args) throws UsageException {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<ReadRequest> requests = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!List.of(
                            "--connector",
                            "--base-url",
                            "--token-file",
                            "--setting",
                            "--streams",
                            "--filter",
                            "--max-records",
                            "--format",
                            "--out",
                            "--contracts",
                            "--write-contracts")
                    .contains(name)) {
                throw new UsageException(
                        name.startsWith("--token")
                                ? "the token is never an argument (it would show in ps): use " + TOKEN_ENV
                                        + " or --token-file"
                                : "unknown argument '" + name + "'");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--setting" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new UsageException("--setting takes NAME=VALUE, not '" + value + "'");
                    }
                    settings.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--filter" -> requests.add(filter(value, requests));
                default -> {
                    if (single.put(name, value) != null) {
                        throw new UsageException(name + " is given twice");
                    }
                }
            }
        }
        String connector = single.get("--connector");
        if (connector == null || !List.of("salesforce", "hubspot", "slack").contains(connector)) {
            throw new UsageException("--connector must be salesforce, hubspot or slack"
                    + (connector == null ? "" : ", not '" + connector + "'"));
        }
        String baseUrl = single.getOrDefault("--base-url", DEFAULT_BASE_URLS.get(connector));
        if (baseUrl == null) {
            throw new UsageException("--base-url is required for " + connector
                    + ": the org's instance URL, e.g. https://acme.my.salesforce.com");
        }
        if (!baseUrl.startsWith("https://") && !baseUrl.startsWith("http://")) {
            throw new UsageException("--base-url must be an http(s) URL, not '" + baseUrl + "'");
        }
        int maxRecords = ContractCheck.DEFAULT_MAX_RECORDS;
        if (single.containsKey("--max-records")) {
            try {
                maxRecords = Integer.parseInt(single.get("--max-records"));
            } catch (NumberFormatException e) {
                maxRecords = 0;
            }
            if (maxRecords < 1) {
                throw new UsageException("--max-records must be a whole number of at least 1, not '"
                        + single.get("--max-records") + "'");
            }
        }
        String format = single.getOrDefault("--format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, not '" + format + "'");
        }
        List<String> streams = new ArrayList<>();
        if (single.containsKey("--streams")) {
            for (String s : single.get("--streams").split(",")) {
                if (!s.isBlank()) {
                    streams.add(s.strip());
                }
            }
        }
        return new Options(
                connector,
                baseUrl,
                path(single, "--token-file"),
                settings,
                streams,
                requests,
                maxRecords,
                format.equals("json"),
                path(single, "--out"),
                path(single, "--contracts"),
                path(single, "--write-contracts"));
    }

    private static @Nullable Path path(Map<String, String> single, String name) {
        return single.containsKey(name) ? Path.of(single.get(name)) : null;
    }

    /** {@code stream:field=value}, added to the stream's request if it has one already. */
    private static ReadRequest filter(String value, List<ReadRequest> requests) throws UsageException {
        int colon = value.indexOf(':');
        int eq = value.indexOf('=', colon + 1);
        if (colon < 1 || eq < colon + 2) {
            throw new UsageException("--filter takes STREAM:FIELD=VALUE, not '" + value + "'");
        }
        String stream = value.substring(0, colon);
        ReadRequest base = ReadRequest.of(stream);
        for (ReadRequest r : requests) {
            if (r.stream().equals(stream)) {
                base = r;
            }
        }
        requests.removeIf(r -> r.stream().equals(stream));
        return base.where(value.substring(colon + 1, eq), value.substring(eq + 1));
    }
}

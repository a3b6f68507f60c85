package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.RecordedVendor;
import dev.switchboard.testkit.fake.Recording;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The live contract check, run in-process against the testkit's HubSpot fake and a recorded HubSpot. */
class ContractCheckCommandTest {
    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    /** The tickets search answered with the real tickets page, one priority retyped to a number. */
    @RegisterExtension
    static final RecordedVendor RETYPED = new RecordedVendor(Recording.of("tickets with a retyped priority")
            .with(Recording.Answer.json(
                    "POST", "/crm/v3/objects/tickets/search", VendorSamples.json("hubspot/dlt_tickets_page.json")))
            .with(Recording.Answer.json("GET", "/crm/v3/properties/tickets", ticketProperties()))
            .set(
                    "POST",
                    "/crm/v3/objects/tickets/search",
                    "/results/0/properties/hs_ticket_priority",
                    JsonNumber.of(1)));

    /** The properties API's answer (names only, like the real contacts sample) listing what the tickets contract reads. */
    private static JsonObject ticketProperties() {
        JsonArray.Builder results = JsonArray.builder();
        new HubSpotConnector()
                .descriptor().stream("tickets").orElseThrow().schema().fields().stream()
                        .map(f -> f.name())
                        .filter(n -> !List.of("id", "createdAt", "updatedAt", "archived")
                                .contains(n))
                        .forEach(n ->
                                results.add(JsonObject.builder().put("name", n).build()));
        return JsonObject.builder().put("results", results.build()).build();
    }

    private static final String TOKEN = "pat-na1-contract-check-secret-7f3a";
    private static final List<String> CRM = List.of("contacts", "companies", "deals", "tickets");

    /**
     * Logging as the command's main sets it up (contract-check-logback.xml: to stderr), with Switchboard's
     * loggers down to DEBUG so that every line any level could print is captured and checked for the token.
     */
    @BeforeAll
    static void logAsTheCommandDoes() throws JoranException {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        logback.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logback);
        configurator.doConfigure(ContractCheckCommandTest.class.getResource("/contract-check-logback.xml"));
        logback.getLogger("dev.switchboard").setLevel(Level.DEBUG);
    }

    /** Back to the class path's default configuration for the next test class in this JVM. */
    @AfterAll
    static void restoreLogging() throws JoranException {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        logback.reset();
        new ContextInitializer(logback).autoConfig();
    }

    /** What a run printed: its report ({@code out}), its messages ({@code err}), and the process's stderr (logs). */
    private record Run(int status, String out, String err, String stderr, String stdout) {
        JsonObject json() {
            return (JsonObject) Json.parse(out);
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        int status;
        // The process's streams, where logback's console appender writes (it looks System.err up on every write).
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            status = ContractCheckCommand.run(
                    args,
                    env,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        Run run = new Run(
                status,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8),
                stdout.toString(StandardCharsets.UTF_8));
        // Never, whatever happened: not in the report, the messages, the logs on stderr, or anything else on stdout.
        assertThat(run.out() + run.err()).doesNotContain(TOKEN);
        assertThat(run.stderr()).doesNotContain(TOKEN);
        assertThat(run.stdout()).doesNotContain(TOKEN);
        return run;
    }

    private static Run run(String... args) {
        return run(Map.of(ContractCheckCommand.TOKEN_ENV, TOKEN), args);
    }

    @Test
    void aHealthyAccountExitsZeroWithAJsonReportOfEveryStreamRead() {
        HUBSPOT.acceptAccessToken(TOKEN);
        Run run = run(
                "--connector",
                "hubspot",
                "--base-url",
                HUBSPOT.baseUrl(),
                "--setting",
                "portalId=62515",
                "--streams",
                "contacts,companies,deals,tickets",
                "--max-records",
                "50",
                "--format",
                "json");

        assertThat(run.status()).as(run.err()).isEqualTo(ContractCheckCommand.OK);
        JsonObject report = run.json();
        assertThat(report.string("status")).isEqualTo("OK");
        assertThat(report.string("connector")).isEqualTo("hubspot");
        assertThat(report.number("breaking")).isEqualByComparingTo("0");
        List<JsonObject> streams =
                report.array("streams").stream().map(v -> (JsonObject) v).toList();
        assertThat(streams).extracting(s -> s.string("stream")).containsExactlyElementsOf(CRM);
        for (JsonObject s : streams) {
            // Every seeded object was read, and its search went to the fake with the token from the environment.
            assertThat(s.number("recordsRead").intValue()).isEqualTo(HUBSPOT.count(s.string("stream")));
            assertThat(s.array("errors").isEmpty()).isTrue();
        }
        assertThat(HUBSPOT.requests()).allMatch(r -> TOKEN.equals(r.bearerToken()));
    }

    @Test
    void breakingDriftExitsOneAndNamesTheField() {
        RETYPED.acceptAccessToken(TOKEN);
        Run run = run(
                "--connector",
                "hubspot",
                "--base-url",
                RETYPED.baseUrl(),
                "--setting",
                "portalId=62515",
                "--streams",
                "tickets");

        assertThat(run.status()).isEqualTo(ContractCheckCommand.BREAKING);
        assertThat(run.out())
                .contains(
                        "BREAKING DRIFT",
                        "BREAKING TYPE_CHANGED hs_ticket_priority: expected STRING?, observed INTEGER");
        // The drift is logged, as the command logs: on stderr, never on stdout, which carries the report only.
        assertThat(run.stderr()).contains("WARN  drift: Schema drift on connection 'contract-check' stream 'tickets'");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void theTokenFileAndTheOutputFileAreUsed(@TempDir Path dir) throws IOException {
        HUBSPOT.acceptAccessToken(TOKEN);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Path out = dir.resolve("report.json");

        Run run = run(
                Map.of(),
                "--connector",
                "hubspot",
                "--base-url",
                HUBSPOT.baseUrl(),
                "--setting",
                "portalId=62515",
                "--streams",
                "tickets",
                "--token-file",
                tokenFile.toString(),
                "--format",
                "json",
                "--out",
                out.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEmpty();
        JsonValue written = Json.parse(Files.readString(out));
        assertThat(((JsonObject) written).string("status")).isEqualTo("OK");
        assertThat(Files.readString(out)).doesNotContain(TOKEN);
    }

    @Test
    void aRejectedTokenExitsTwoWithTheNextStep() {
        HUBSPOT.revokeAccessTokens();
        Run run = run(
                "--connector",
                "hubspot",
                "--base-url",
                HUBSPOT.baseUrl(),
                "--setting",
                "portalId=62515",
                "--streams",
                "tickets");

        assertThat(run.status()).isEqualTo(ContractCheckCommand.CANNOT_RUN);
        assertThat(run.out()).contains("ERROR in read: ReauthorizationRequiredException (next step REAUTHORIZE)");
        assertThat(run.err()).contains("some streams could not be checked");
        // The rejected credential is logged (captured, so the token check above covers these lines) without the token.
        assertThat(run.stderr()).contains("credential version 1 rejected");
    }

    @Test
    void usageErrorsExitTwoAndSayWhatToFix() {
        assertThat(run(Map.of(), "--connector", "hubspot").err())
                .contains("no access token: set the environment variable " + ContractCheckCommand.TOKEN_ENV
                        + " or pass --token-file");
        assertThat(run("--connector", "zendesk").err())
                .contains("--connector must be salesforce, hubspot or slack, not 'zendesk'");
        assertThat(run("--connector", "salesforce").err()).contains("--base-url is required for salesforce");
        assertThat(run("--connector", "hubspot", "--token", TOKEN).err()).contains("the token is never an argument");
        assertThat(run("--connector", "hubspot", "--format", "xml").err()).contains("--format must be text or json");
        assertThat(run("--connector", "hubspot", "--max-records", "lots").err())
                .contains("--max-records must be a whole number");
        // The connector itself refuses a connection without its portal: nothing is checked.
        Run noPortal = run("--connector", "hubspot", "--base-url", HUBSPOT.baseUrl());
        assertThat(noPortal.err()).contains("could not run").contains("portalId");
        Run unknownStream = run(
                "--connector",
                "hubspot",
                "--base-url",
                HUBSPOT.baseUrl(),
                "--setting",
                "portalId=1",
                "--streams",
                "orders");
        assertThat(unknownStream.err()).contains("connector 'hubspot' has no stream 'orders'");
        for (Run r : List.of(noPortal, unknownStream, run("--connector", "hubspot", "--max-records", "0"))) {
            assertThat(r.status()).isEqualTo(ContractCheckCommand.CANNOT_RUN);
            assertThat(r.out()).isEmpty();
        }
        assertThat(run("--help").status()).isZero();
    }
}

package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSlack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --write-contracts and --contracts of the live contract check, in-process against the testkit's fakes. */
class ContractFilesCommandTest {
    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String TOKEN = "pat-na1-contract-files-secret-91c2";

    private record Run(int status, String out, String err) {
        JsonObject json() {
            return (JsonObject) Json.parse(out);
        }

        int additive() {
            return json().number("additive").intValue();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ContractCheckCommand.run(
                args,
                Map.of(ContractCheckCommand.TOKEN_ENV, TOKEN),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(run.out() + run.err()).doesNotContain(TOKEN);
        return run;
    }

    private static Run hubspot(String... more) {
        HUBSPOT.acceptAccessToken(TOKEN);
        List<String> args = new java.util.ArrayList<>(
                List.of("--connector", "hubspot", "--base-url", HUBSPOT.baseUrl(), "--setting", "portalId=62515"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** What the fake's metadata describes, asked through a connection of the testkit's own. */
    private static Schema described(String stream) {
        try (FakeConnection c = FakeConnection.to(HUBSPOT, "hubspot")
                .setting("portalId", "62515")
                .driftPolicy(DriftPolicy.REPORT)
                .build()) {
            return c.connection().describe(c.context(), stream).orElseThrow();
        }
    }

    @Test
    void writtenContractsAreTheMetadataAndPinningThemChecksAgainstThem(@TempDir Path dir) throws Exception {
        Path contracts = dir.resolve("contracts/hubspot");
        Run written =
                hubspot("--streams", "tickets,deals", "--write-contracts", contracts.toString(), "--format", "json");

        assertThat(written.status()).as(written.err()).isEqualTo(ContractCheckCommand.OK);
        try (var files = Files.list(contracts)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("tickets.json", "deals.json");
        }
        for (String stream : List.of("tickets", "deals")) {
            Schema file = Schema.load(contracts.resolve(stream + ".json"));
            assertThat(file).isEqualTo(described(stream));
            assertThat(written.err())
                    .contains("wrote " + contracts.resolve(stream + ".json") + " ("
                            + file.fields().size() + " fields, from the vendor's metadata)");
        }
        Run pinned = hubspot("--streams", "tickets,deals", "--contracts", contracts.toString(), "--format", "json");
        assertThat(pinned.status()).as(pinned.err() + pinned.out()).isEqualTo(ContractCheckCommand.OK);
        assertThat(pinned.additive()).isZero();
        assertThat(pinned.json().number("breaking").intValue()).isZero();

        // The files are what is checked: a field taken out of the pinned tickets file shows up as added.
        Schema tickets = Schema.load(contracts.resolve("tickets.json"));
        Schema.Field dropped =
                tickets.fields().stream().filter(f -> !f.required()).findFirst().orElseThrow();
        Schema.Builder without = Schema.builder();
        tickets.fields().stream().filter(f -> !f.equals(dropped)).forEach(without::add);
        without.build().write(contracts.resolve("tickets.json"));
        Run edited = hubspot("--streams", "tickets", "--contracts", contracts.toString());
        assertThat(edited.status()).isEqualTo(ContractCheckCommand.OK);
        assertThat(edited.out()).contains("additive ADDED " + dropped.name());
    }

    @Test
    void aPinnedFileThatTheAccountBreaksIsReportedAsBreaking(@TempDir Path dir) throws Exception {
        Schema declared = new HubSpotConnector()
                .descriptor().stream("tickets").orElseThrow().schema();
        Schema.Builder stricter = Schema.builder();
        declared.fields().forEach(stricter::add);
        stricter.required("hs_custom_tier", FieldType.STRING);
        stricter.build().write(dir.resolve("tickets.json"));
        Files.writeString(
                dir.resolve("README.md"), "contracts pinned for the scheduled check"); // not a contract: left alone

        Run run = hubspot("--streams", "tickets", "--contracts", dir.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(ContractCheckCommand.BREAKING);
        assertThat(run.out()).contains("hs_custom_tier").contains("BREAKING");
    }

    @Test
    void withoutMetadataTheWrittenContractIsThePinnedContractWidenedByTheRecords(@TempDir Path dir) throws Exception {
        SLACK.acceptAccessToken(TOKEN);
        // A narrow contract pinned from a file: the records show far more than it promises.
        Path narrow = dir.resolve("narrow");
        Schema.builder().required("id", FieldType.STRING).build().write(narrow.resolve("users.json"));
        Path widened = dir.resolve("widened");
        Run run = run(
                "--connector",
                "slack",
                "--base-url",
                SLACK.baseUrl(),
                "--setting",
                "team_id=" + FakeSlack.TEAM_ID,
                "--streams",
                "users",
                "--contracts",
                narrow.toString(),
                "--write-contracts",
                widened.toString());

        assertThat(run.status())
                .as(run.err() + run.out())
                .isEqualTo(ContractCheckCommand.OK); // added fields are additive
        Schema written = Schema.load(widened.resolve("users.json"));
        List<Record> users;
        try (FakeConnection c = FakeConnection.to(SLACK, "slack")
                .setting("team_id", FakeSlack.TEAM_ID)
                .driftPolicy(DriftPolicy.REPORT)
                .build()) {
            assertThat(c.connection().describe(c.context(), "users")).isEmpty(); // Slack has no metadata for users
            users = c.readAll(ReadRequest.of("users"));
        }
        assertThat(users).isNotEmpty();
        assertThat(run.err()).contains("from the contract and " + users.size() + " records read");
        // The pinned field as pinned, then every field the users carry; every user keeps the written contract.
        assertThat(written.field("id")).contains(new Schema.Field("id", FieldType.STRING, false, true));
        assertThat(written.fields())
                .extracting(Schema.Field::name)
                .containsExactlyInAnyOrderElementsOf(users.stream()
                        .flatMap(u -> u.data().names().stream())
                        .collect(java.util.stream.Collectors.toSet()));
        assertThat(written.fields().size()).isGreaterThan(1);
        for (Record user : users) {
            assertThat(written.check(user.data())).as("user %s", user.id()).isEmpty();
        }
        // Pinned in turn, the written contract shows no drift at all in those records.
        Run pinned = run(
                "--connector",
                "slack",
                "--base-url",
                SLACK.baseUrl(),
                "--setting",
                "team_id=" + FakeSlack.TEAM_ID,
                "--streams",
                "users",
                "--contracts",
                widened.toString(),
                "--format",
                "json");
        assertThat(pinned.status()).as(pinned.out()).isEqualTo(ContractCheckCommand.OK);
        assertThat(pinned.json().number("additive").intValue()
                        + pinned.json().number("breaking").intValue())
                .isZero();
    }

    @Test
    void badContractDirectoriesExitTwoAndSayWhatToFix(@TempDir Path dir) throws Exception {
        Run missing = hubspot("--contracts", dir.resolve("nowhere").toString());
        assertThat(missing.err()).contains("nowhere is not a directory");

        Run empty = hubspot("--contracts", dir.toString());
        assertThat(empty.err()).contains("holds no <stream>.json file");

        Files.writeString(dir.resolve("tickets.json"), "{\"fields\": [{\"name\": \"id\", \"type\": \"uuid\"}]}");
        Run invalid = hubspot("--contracts", dir.toString());
        assertThat(invalid.err())
                .contains(dir.resolve("tickets.json") + ": fields[0] ('id'): \"type\" 'uuid' is not a type");

        Files.delete(dir.resolve("tickets.json"));
        Schema.builder().required("id", FieldType.STRING).build().write(dir.resolve("orders.json"));
        Run unknown = hubspot("--contracts", dir.toString());
        assertThat(unknown.err()).contains(dir.resolve("orders.json") + ": connector 'hubspot' has no stream 'orders'");

        for (Run r : List.of(missing, empty, invalid, unknown)) {
            assertThat(r.status()).isEqualTo(ContractCheckCommand.CANNOT_RUN);
            assertThat(r.out()).isEmpty();
        }
    }
}

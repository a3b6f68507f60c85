package dev.switchboard.benchmarks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' vendors and floors measure what they claim: the generated portal is the one FakeHubSpot seeds,
 * the raw floors send Switchboard's requests and read its records, each once. Servers run in this JVM here.
 */
class GeneratedHubSpotServerTest {
    @Test
    void switchboardReadsFromTheGeneratorWhatItReadsFromFakeHubSpotSeededAlike() throws Exception {
        int n = 250; // three search pages of 100, so two key-paging boundaries
        List<Record> fromFake;
        try (FakeHubSpot fake = new FakeHubSpot()) {
            fake.start();
            fake.rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                    .searchRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                    .dailyLimit(Long.MAX_VALUE);
            fake.seed("contacts", n, GeneratedContacts.FROM, Duration.ofMillis(GeneratedContacts.STEP_MILLIS));
            fromFake = readAll(fake.baseUrl());
        }
        List<Record> fromGenerator;
        try (LoopbackHttpServer server = generator(n)) {
            fromGenerator = readAll(server.baseUrl());
        }
        assertThat(fromFake).hasSize(n);
        assertThat(fromGenerator).containsExactlyElementsOf(fromFake);
    }

    @Test
    void rawKeyPagingSendsSwitchboardsRequestsAndReadsTheSameRecords() throws Exception {
        int n = 1_000;
        GeneratedHubSpotServer generator = new GeneratedHubSpotServer(n, GeneratedHubSpotServer.fakePropertiesAnswer());
        try (LoopbackHttpServer server = LoopbackHttpServer.start(generator::answer, "test")) {
            long[] start = stats(generator);
            ReadDigest ours = new ReadDigest();
            try (Switchboard switchboard = HubSpotReplay.switchboard(server.baseUrl(), null)) {
                HubSpotReplay.read(switchboard, 100, n, ours);
            }
            long[] afterOurs = stats(generator);
            ReadDigest floor = new ReadDigest();
            List<Long> progress = new ArrayList<>();
            long emails;
            try (RawKeyPagingClient raw = new RawKeyPagingClient(server.baseUrl())) {
                emails = raw.read(100, HubSpotReplay.NOW, floor, progress::add);
            }
            long[] afterFloor = stats(generator);

            assertThat(emails).isEqualTo(n);
            assertThat(progress).hasSize(n).endsWith((long) n);
            floor.checkSame(ours, "the floor and Switchboard");
            // 1 metadata request, 11 searches (99 new records each but the last), the recycling bin.
            assertThat(afterOurs[0] - start[0]).isEqualTo(13);
            assertThat(afterFloor[0] - afterOurs[0]).isEqualTo(afterOurs[0] - start[0]);
            assertThat(afterFloor[2] - afterOurs[2])
                    .as("the digest of the requests' method, target and body")
                    .isEqualTo(afterOurs[2] - start[2]);
        }
    }

    @Test
    void rawReplayCountsTheRecordAKeyPagedQueryRepeatsOnce(@TempDir Path dir) throws Exception {
        // Three records a page of three: the page is full, so its last record is asked for again.
        Path[] tapes = HubSpotReplay.record(3, 3, dir);
        Tape op = Tape.read(tapes[1]);
        assertThat(op.exchanges()).hasSize(3); // two searches, the recycling bin
        ReplayServer replay = new ReplayServer(Tape.read(HubSpotReplay.serverTape(tapes[0], tapes[1])));
        try (LoopbackHttpServer server = LoopbackHttpServer.start(replay::answer, "test");
                Switchboard switchboard = HubSpotReplay.switchboard(server.baseUrl(), null);
                RawReplayClient raw = new RawReplayClient(server.baseUrl(), op)) {
            HubSpotReplay.read(switchboard, 3, 3); // the first read also asks for metadata
            ReadDigest ours = new ReadDigest();
            HubSpotReplay.read(switchboard, 3, 3, ours);
            ReadDigest floor = new ReadDigest();
            assertThat(raw.read(floor)).isEqualTo(3);
            floor.checkSame(ours, "the floor and Switchboard");
        }
    }

    private static LoopbackHttpServer generator(long n) throws Exception {
        GeneratedHubSpotServer generator = new GeneratedHubSpotServer(n, GeneratedHubSpotServer.fakePropertiesAnswer());
        return LoopbackHttpServer.start(generator::answer, "test");
    }

    private static long[] stats(GeneratedHubSpotServer generator) {
        String[] parts = new String(
                        generator.answer("GET", GeneratedHubSpotServer.STATS, new byte[0]),
                        java.nio.charset.StandardCharsets.UTF_8)
                .split("\r\n\r\n")[1].split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[3]), Long.parseUnsignedLong(parts[5], 16)};
    }

    private static List<Record> readAll(String baseUrl) {
        List<Record> out = new ArrayList<>();
        try (Switchboard switchboard = HubSpotReplay.switchboard(baseUrl, null);
                RecordStream records = switchboard
                        .connection(HubSpotReplay.CONNECTION)
                        .read(HubSpotReplay.CONTEXT, ReadRequest.of("contacts").pageSize(100))) {
            records.forEach(out::add);
        }
        return out;
    }
}

package dev.switchboard.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.testkit.VendorSamples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RecordedVendorTest {
    @RegisterExtension
    static final RecordedVendor VENDOR = new RecordedVendor(Recording.fromClasspath("recordings/catalog"));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String pathAndQuery, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(VENDOR.baseUrl() + pathAndQuery))
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAreMatchedByMethodPathAndQueryWithTheirStatusAndHeaders() throws Exception {
        HttpResponse<String> page2 = get("/items?page=2&extra=ignored", VendorFake.ACCESS_TOKEN);
        HttpResponse<String> page1 = get("/items?page=1", VendorFake.ACCESS_TOKEN);

        assertThat(page2.statusCode()).isEqualTo(200);
        assertThat(page2.headers().firstValue("X-Page")).contains("2");
        assertThat(((JsonObject) Json.parse(page2.body())).array("items").size())
                .isEqualTo(1);
        assertThat(((JsonObject) Json.parse(page1.body())).string("next")).isEqualTo("2");
        assertThat(VENDOR.unmatched()).isEmpty();
    }

    @Test
    void aSampleBodyIsTheRealPayloadWithTheIndexAdjustmentsApplied() throws Exception {
        JsonObject tags =
                (JsonObject) Json.parse(get("/tags", VendorFake.ACCESS_TOKEN).body());
        JsonObject sample = (JsonObject) VendorSamples.json("hubspot/dlt_deals_page.json");

        assertThat(tags.has("results")).isFalse(); // "remove": ["/results"]
        assertThat(tags.array("tags").get(0)).isEqualTo(Json.parse("{\"id\":\"t1\"}")); // "set"
        assertThat(sample.has("results")).isTrue(); // the sample itself is untouched
    }

    @Test
    void anUnrecordedRequestIs404AndListed() throws Exception {
        HttpResponse<String> answer = get("/items?page=3", VendorFake.ACCESS_TOKEN);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("no recorded answer to GET /items");
        assertThat(VENDOR.unmatched()).extracting(FakeRequest::query).containsExactly(Map.of("page", "3"));
    }

    @Test
    void aRequestWithoutTheAcceptedTokenGetsTheRecordedUnauthorizedAnswer() throws Exception {
        HttpResponse<String> answer = get("/items?page=1", "stolen");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(((JsonObject) Json.parse(answer.body())).bool("recorded")).isTrue();

        try (RecordedVendor bare = new RecordedVendor(Recording.of("nothing"))) {
            HttpResponse<String> plain = HTTP.send(
                    HttpRequest.newBuilder(URI.create(bare.baseUrl() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anAlteredRecordingReplacesTheAnswerUntilTheNextReset() throws Exception {
        VENDOR.replay(VENDOR.recording().set("GET", "/items", "/items/0/name", new JsonString("Altered")));
        assertThat(get("/items?page=1", VendorFake.ACCESS_TOKEN).body()).contains("\"Altered\"");

        VENDOR.reset();
        assertThat(get("/items?page=1", VendorFake.ACCESS_TOKEN).body())
                .contains("\"Lamp\"")
                .doesNotContain("Altered");
    }

    @Test
    void aRecordingLoadsFromADirectoryAndSaysWhatItLacks(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("index.json"),
                "{\"answers\":[{\"method\":\"get\",\"path\":\"/a\",\"body\":\"a.json\"," + "\"status\":201}]}");
        Files.writeString(dir.resolve("a.json"), "{\"a\":1}");
        Recording recording = Recording.load(dir);
        assertThat(recording.answers())
                .containsExactly(new Recording.Answer("GET", "/a", Map.of(), 201, Map.of(), "{\"a\":1}"));

        Files.writeString(
                dir.resolve("index.json"), "{\"answers\":[{\"method\":\"GET\",\"path\":\"/b\",\"body\":\"b.json\"}]}");
        assertThatThrownBy(() -> Recording.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names a file it does not hold: b.json");
        Files.writeString(dir.resolve("index.json"), "{\"answer\":[]}");
        assertThatThrownBy(() -> Recording.load(dir)).hasMessageContaining("needs an \"answers\" array");
        assertThatThrownBy(() -> recording.set("GET", "/a", "/b/c", new JsonString("x")))
                .hasMessage("JSON Pointer /b/c names nothing in the document");
        assertThatThrownBy(() -> recording.remove("GET", "/nowhere", "/a"))
                .hasMessageStartingWith("no recorded answer to GET /nowhere");
    }
}

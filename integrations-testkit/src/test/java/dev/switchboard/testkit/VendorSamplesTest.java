package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The vendor samples the testkit ships are attributed: SOURCES.txt (tab-separated, the copied file
 * first) names every file of the samples directory, so no copied payload travels without its origin
 * and licence. (That the copies equal the project's shared fixtures cannot be checked here: those
 * live outside the repository.)
 */
class VendorSamplesTest {
    /** Files in the directory that are the directory's own notes, not copied payloads. */
    private static final Set<String> NOT_SAMPLES = Set.of("SOURCES.txt", "README.md");

    private static Path samplesDirectory() throws URISyntaxException {
        URL sources = VendorSamples.class.getResource("vendor-samples/SOURCES.txt");
        assertThat(sources).as("SOURCES.txt on the class path").isNotNull();
        assertThat(sources.getProtocol())
                .as("samples read from a directory (the module's build output)")
                .isEqualTo("file");
        return Path.of(sources.toURI()).getParent();
    }

    private static Set<String> attributed(Path directory) throws IOException {
        return Files.readAllLines(directory.resolve("SOURCES.txt"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .map(line -> line.split("\t", 2)[0])
                .collect(Collectors.toSet());
    }

    private static List<String> samples(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> directory.relativize(f).toString().replace('\\', '/'))
                    .filter(name -> !NOT_SAMPLES.contains(name))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void sourcesTxtNamesEveryCopiedSample() throws Exception {
        Path directory = samplesDirectory();
        List<String> samples = samples(directory);

        // The three vendors' samples are there (an empty walk would pass the check below vacuously).
        assertThat(samples)
                .contains(
                        "hubspot/dlt_contacts_page.json",
                        "salesforce/nifi_query_sobject.json",
                        "slack/javasdk_sample_users.list.json");
        assertThat(attributed(directory)).containsAll(samples);
        // And each is readable through VendorSamples under the name SOURCES.txt gives it.
        for (String name : samples) {
            assertThat(VendorSamples.bytes(name)).as(name).isNotEmpty();
        }
    }

    @Test
    void anUnknownSampleIsRefusedByName() {
        assertThatThrownBy(() -> VendorSamples.bytes("slack/no_such_sample.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slack/no_such_sample.json");
    }
}

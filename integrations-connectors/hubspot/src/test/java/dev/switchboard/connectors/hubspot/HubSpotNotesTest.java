package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.model.Record;
import dev.switchboard.normalize.Attachment;
import dev.switchboard.normalize.Comment;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.LinkedEntity;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Visibility;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code notes} stream read from FakeHubSpot, and a note on a ticket as a {@link Comment}. */
class HubSpotNotesTest extends VirtualHubSpotTest {
    private static final String TICKET = "1075966440";
    private final Normalizer normalizer = Normalizer.standard();

    private Map<String, Entity> entities(String stream) {
        Map<String, Entity> byId = new LinkedHashMap<>();
        try (EntityStream entities = normalizer.read(hub.connection, HubSpotHarness.CONTEXT, ReadRequest.of(stream))) {
            entities.forEach(e -> byId.put(e.origin().sourceId(), e));
        }
        return byId;
    }

    private String noteOnTheTicket() {
        String id = FAKE.put(
                "notes",
                Map.of(
                        "hs_note_body", "<p>Customer called back</p>",
                        "hs_timestamp", "2026-05-31T16:00:00Z",
                        "hubspot_owner_id", "41629779",
                        "hs_attachment_ids", "8101;8102"),
                Instant.parse("2026-05-31T16:00:05Z"));
        FAKE.associate("notes", id, "tickets", TICKET);
        return id;
    }

    @Test
    void aNoteIsReadWithTheTicketItIsAssociatedWith() {
        String id = noteOnTheTicket();
        String loose = FAKE.put("notes", Map.of("hs_note_body", "no ticket"), Instant.parse("2026-05-31T17:00:00Z"));

        List<Record> notes = hub.readAll(ReadRequest.of("notes"));

        assertThat(notes).extracting(Record::id).containsExactlyInAnyOrder(id, loose);
        Record note = notes.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        assertThat(note.data().string("ticketId")).isEqualTo(TICKET);
        assertThat(note.data().string("hs_note_body")).isEqualTo("<p>Customer called back</p>");
        assertThat(notes.stream()
                        .filter(r -> r.id().equals(loose))
                        .findFirst()
                        .orElseThrow()
                        .data()
                        .string("ticketId"))
                .isNull();
    }

    @Test
    void aNoteIsAnInternalCommentOnItsTicketByItsOwnerWithItsAttachmentsById() {
        String id = noteOnTheTicket();

        Comment note = (Comment) entities("notes").get(id);
        Entity ticket = entities("tickets").get(TICKET);
        Entity maria = entities("owners").get("41629779");

        assertThat(note.get(Comment.TICKET)).contains(ticket.ref());
        assertThat(note.get(Comment.BODY)).contains("<p>Customer called back</p>");
        assertThat(note.get(Comment.VISIBILITY).orElseThrow().code()).isEqualTo(Visibility.INTERNAL);
        assertThat(note.get(Comment.AUTHOR)).contains(maria.ref());
        assertThat(note.get(Comment.CREATED_AT)).contains(Instant.parse("2026-05-31T16:00:00Z"));
        assertThat(note.get(Comment.ATTACHMENTS).orElseThrow())
                .containsExactly(
                        new Attachment("8101", null, null, null, null), new Attachment("8102", null, null, null, null));
        assertThat(note.provenance(Comment.ATTACHMENTS).orElseThrow().sourceField())
                .isEqualTo("hs_attachment_ids");
    }

    @Test
    void theGraphFindsTheNoteFromItsTicket() {
        String id = noteOnTheTicket();
        EntityGraph graph = EntityGraph.builder().build();
        graph.applyAll(entities("tickets").values());
        graph.applyAll(entities("notes").values());

        LinkedEntity ticket = graph.group(entities("tickets").get(TICKET)).orElseThrow();

        assertThat(graph.related(ticket, EntityType.COMMENT, 10))
                .flatExtracting(LinkedEntity::members)
                .extracting(e -> e.origin().sourceId())
                .containsExactly(id);
    }
}

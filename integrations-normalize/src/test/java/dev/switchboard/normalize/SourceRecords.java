package dev.switchboard.normalize;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.Timestamps;
import java.util.Set;

/**
 * Records shaped exactly as the bundled connectors emit them (see each connector's
 * {@code internal/*Records.java}): this module cannot depend on the connectors, whose mappers
 * depend on it, so the tests build the same envelopes from vendor-shaped JSON.
 */
final class SourceRecords {
    static final String SF = "sf-acme";
    static final String SF_ORG = "00D5g000004SfOrg";
    static final String HS = "hs-acme";
    static final String HS_PORTAL = "2240411";
    static final String SLACK = "slack-acme";
    static final String SLACK_TEAM = "T0ACME";

    private SourceRecords() {}

    /** A mapper of one stream of {@code connector}, as a connector module would register it. */
    static EntityMapper mapper(
            String connector, String stream, java.util.function.Function<SourceFields, Entity.Builder> map) {
        return new EntityMapper() {
            @Override
            public String connector() {
                return connector;
            }

            @Override
            public boolean maps(String s) {
                return s.equals(stream);
            }

            @Override
            public Entity.Builder map(SourceFields in) {
                return map.apply(in);
            }
        };
    }

    /**
     * A SOQL row as SalesforceRecords maps it: {@code attributes} dropped (its type is the source
     * object), {@code Id} the id, {@code SystemModstamp} the version, owner and org the ACL.
     */
    static Record salesforce(String stream, String rowJson) {
        JsonObject row = (JsonObject) Json.parse(rowJson);
        JsonObject attributes = row.object("attributes");
        String type = attributes == null || attributes.string("type") == null ? stream : attributes.string("type");
        String modstamp = row.string("SystemModstamp");
        String owner = row.string("OwnerId");
        return Record.builder().stream(stream)
                .id(row.string("Id"))
                .source(new RecordSource("salesforce", SF, type))
                .data(row.newBuilder().remove("attributes").build())
                .updatedAt(modstamp == null ? null : Timestamps.parse(modstamp).orElseThrow())
                .version(modstamp)
                .acl(owner == null ? Acl.tenant(SF_ORG) : Acl.owned(owner, SF_ORG))
                .build();
    }

    /**
     * A CRM object as HubSpotRecords maps it: the envelope ({@code id, createdAt, updatedAt,
     * archived}) and the properties flattened into one object; {@code updatedAt} the version; the
     * owner ({@code hubspot_owner_id}) and portal the ACL.
     */
    static Record hubspot(String object, String rawJson) {
        JsonObject raw = (JsonObject) Json.parse(rawJson);
        JsonObject.Builder data = JsonObject.builder();
        for (String envelope : new String[] {"id", "createdAt", "updatedAt", "archived"}) {
            JsonValue v = raw.get(envelope);
            if (v != null) {
                data.put(envelope, v);
            }
        }
        JsonObject props = raw.object("properties");
        if (props != null) {
            props.fields().forEach((name, value) -> {
                if (!Set.of("id", "createdAt", "updatedAt", "archived").contains(name)) {
                    data.put(name, value);
                }
            });
        }
        String updated = raw.string("updatedAt");
        String owner = props == null ? null : props.string("hubspot_owner_id");
        return Record.builder().stream(object)
                .id(raw.string("id"))
                .source(new RecordSource("hubspot", HS, object))
                .data(data.build())
                .updatedAt(updated == null ? null : Timestamps.parse(updated).orElseThrow())
                .version(updated)
                .acl(owner == null ? Acl.tenant(HS_PORTAL) : new Acl(owner, HS_PORTAL, Visibility.TENANT, Set.of()))
                .build();
    }

    /** One association edge as HubSpotRecords maps it, in the {@code associations} stream. */
    static Record hubspotAssociation(String fromType, String fromId, String toType, String toId) {
        String id = fromType + "/" + fromId + "/" + toType + "/" + toId;
        JsonObject data = JsonObject.builder()
                .put("id", id)
                .put("fromObjectType", fromType)
                .put("fromId", fromId)
                .put("toObjectType", toType)
                .put("toId", toId)
                .put("associationType", fromType + "_to_" + toType)
                .build();
        return Record.builder().stream("associations")
                .id(id)
                .source(new RecordSource("hubspot", HS, "associations"))
                .data(data)
                .acl(Acl.tenant(HS_PORTAL))
                .build();
    }

    /** A Slack user as SlackRecords maps it: data as sent, {@code updated} (seconds) the version, the user owns it. */
    static Record slackUser(String userJson) {
        JsonObject user = (JsonObject) Json.parse(userJson);
        java.math.BigDecimal updated = user.number("updated");
        return Record.builder().stream("users")
                .id(user.string("id"))
                .source(new RecordSource("slack", SLACK, "user"))
                .data(user)
                .updatedAt(updated == null ? null : java.time.Instant.ofEpochSecond(updated.longValue()))
                .version(updated == null ? null : updated.toPlainString())
                .acl(new Acl(user.string("id"), SLACK_TEAM, Visibility.TENANT, Set.of()))
                .build();
    }
}

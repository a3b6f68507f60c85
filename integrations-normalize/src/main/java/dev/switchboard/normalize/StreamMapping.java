package dev.switchboard.normalize;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The field mappings of one stream of a connection. With an {@code entity} type it maps the whole
 * stream by itself (a database table, any stream no mapper knows); without one its fields are laid
 * over what the connector's mapper produced (a company's custom fields).
 *
 * @param stream the stream, e.g. {@code Account} or {@code customers}
 * @param entity the entity type records become, or null to extend the connector's mapper
 * @param fields the field mappings, applied in order (a later one replaces an earlier value)
 */
public record StreamMapping(String stream, @Nullable EntityType entity, List<FieldMapping> fields) {
  public StreamMapping {
    Objects.requireNonNull(stream, "stream");
    fields = List.copyOf(fields);
    if (entity != null) {
      for (FieldMapping f : fields) {
        if (!f.isCustom() && !f.isExternalId() && entity.field(f.target()).isEmpty()) {
          throw new IllegalArgumentException("stream '" + stream + "': " + entity + " has no field '" + f.target()
              + "'; use one of " + entity.fields().stream().map(Field::name).toList() + ", or custom.<name>");
        }
      }
    }
  }
}

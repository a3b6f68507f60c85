package dev.switchboard.normalize.internal;

import dev.switchboard.normalize.FieldMappings;
import java.nio.file.Path;

/** Reads {@link FieldMappings} from JSON and YAML files. */
public final class MappingFiles {
  private MappingFiles() {}

  public static FieldMappings load(Path file) {
    throw new UnsupportedOperationException("mapping files are not read yet: " + file);
  }
}

/** Implementation of the normalizer: parsing of values, configured mappings. Not API. */
@NullMarked
package dev.switchboard.normalize.internal;

import org.jspecify.annotations.NullMarked;

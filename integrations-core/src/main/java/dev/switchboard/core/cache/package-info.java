@NullMarked
package dev.switchboard.core.cache;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.spi;

import org.jspecify.annotations.NullMarked;

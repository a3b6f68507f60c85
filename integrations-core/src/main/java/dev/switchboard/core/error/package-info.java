@NullMarked
package dev.switchboard.core.error;

import org.jspecify.annotations.NullMarked;

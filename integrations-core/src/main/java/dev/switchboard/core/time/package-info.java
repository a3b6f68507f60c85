@NullMarked
package dev.switchboard.core.time;

import org.jspecify.annotations.NullMarked;

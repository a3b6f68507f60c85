@NullMarked
package dev.switchboard.core.change;

import org.jspecify.annotations.NullMarked;

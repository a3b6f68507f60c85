@NullMarked
package dev.switchboard.core.governance;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.json;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.internal.json;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.internal.runtime;

import org.jspecify.annotations.NullMarked;

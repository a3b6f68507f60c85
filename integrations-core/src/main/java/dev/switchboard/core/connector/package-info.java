@NullMarked
package dev.switchboard.core.connector;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.webhook;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.http;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.internal.http;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core.internal.auth;

import org.jspecify.annotations.NullMarked;

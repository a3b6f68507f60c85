@NullMarked
package dev.switchboard.core.auth;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.oauth.internal;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.oauth.store;

import org.jspecify.annotations.NullMarked;

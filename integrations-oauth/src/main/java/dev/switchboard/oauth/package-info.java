@NullMarked
package dev.switchboard.oauth;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.core;

import org.jspecify.annotations.NullMarked;

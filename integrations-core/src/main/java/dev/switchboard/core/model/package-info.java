@NullMarked
package dev.switchboard.core.model;

import org.jspecify.annotations.NullMarked;

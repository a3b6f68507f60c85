@NullMarked
package dev.switchboard.benchmarks;

import org.jspecify.annotations.NullMarked;

/** JMH benchmarks; run them by hand as docs/benchmarks.md says, never in the build. */
@NullMarked
package dev.switchboard.benchmarks;

import org.jspecify.annotations.NullMarked;

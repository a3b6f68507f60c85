/** JMH benchmarks: they compile in every build and run only by hand, as docs/benchmarks.md says. */
@NullMarked
package dev.switchboard.benchmarks;

import org.jspecify.annotations.NullMarked;

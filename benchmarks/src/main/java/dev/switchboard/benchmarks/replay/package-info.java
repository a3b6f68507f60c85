/**
 * A vendor replayed from memory in its own process: a tape of request and response bytes recorded once from a
 * fake, served as fast as a socket allows, so a benchmark measures the client, not the fake.
 */
@NullMarked
package dev.switchboard.benchmarks.replay;

import org.jspecify.annotations.NullMarked;

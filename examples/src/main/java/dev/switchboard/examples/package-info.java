/**
 * Runnable examples. {@link dev.switchboard.examples.PipelineDemo} runs a small connector, its fake
 * vendor and the whole pipeline in one JVM. Nothing depends on this package.
 */
@NullMarked
package dev.switchboard.examples;

import org.jspecify.annotations.NullMarked;

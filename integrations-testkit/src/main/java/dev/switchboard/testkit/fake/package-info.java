/**
 * Fakes of vendor APIs: real local HTTP servers whose answers come from stateful handlers that follow
 * the vendors' documentation and real payloads, with faults a test can switch on.
 */
@NullMarked
package dev.switchboard.testkit.fake;

import org.jspecify.annotations.NullMarked;

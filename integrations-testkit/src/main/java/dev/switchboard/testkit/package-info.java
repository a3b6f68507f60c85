/**
 * Test support for Switchboard users and connector authors: abstract contract suites that every
 * implementation of a core SPI subclasses, and fakes. Add with test scope.
 */
@NullMarked
package dev.switchboard.testkit;

import org.jspecify.annotations.NullMarked;

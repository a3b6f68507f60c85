/** Readers, mapping, classification, budgets and request building of the Slack connector. */
@NullMarked
package dev.switchboard.connectors.slack.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The Slack connector: conversations, messages with their thread replies, and users of one Slack
 * workspace, read through the Web API; posting messages and thread replies without posting twice.
 * See {@code docs/connectors/slack.md}.
 */
@NullMarked
package dev.switchboard.connectors.slack;

import org.jspecify.annotations.NullMarked;

/** The Salesforce connector: its {@link dev.switchboard.connectors.salesforce.SalesforceConnector} and OAuth facts. */
@NullMarked
package dev.switchboard.connectors.salesforce;

import org.jspecify.annotations.NullMarked;

/** Implementation of the Salesforce connector: SOQL building, readers, mapping, classification. */
@NullMarked
package dev.switchboard.connectors.salesforce.internal;

import org.jspecify.annotations.NullMarked;

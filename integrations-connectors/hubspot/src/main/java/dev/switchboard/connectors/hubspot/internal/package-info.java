/** Readers, record mapping, request building, classification and error mapping of the HubSpot connector. */
@NullMarked
package dev.switchboard.connectors.hubspot.internal;

import org.jspecify.annotations.NullMarked;

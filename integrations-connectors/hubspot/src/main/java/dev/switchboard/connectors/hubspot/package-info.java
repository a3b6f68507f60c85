/** The HubSpot CRM connector: its Connector class, its settings and its OAuth facts. */
@NullMarked
package dev.switchboard.connectors.hubspot;

import org.jspecify.annotations.NullMarked;

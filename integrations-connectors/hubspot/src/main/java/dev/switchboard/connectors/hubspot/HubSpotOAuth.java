package dev.switchboard.connectors.hubspot;

import java.util.List;
import java.util.Map;

/**
 * HubSpot's OAuth 2.0 facts, for wiring the connector to the OAuth module: endpoints, the scopes
 * each stream and action needs, and the quirks a token client must know.
 *
 * <ul>
 *   <li>Authorization code grant; the token endpoint takes a form body with {@code client_id} and
 *       {@code client_secret} in it (not HTTP Basic).</li>
 *   <li>Access tokens live 30 minutes ({@code expires_in} is sent); refresh tokens do not expire
 *       and are not rotated on refresh.</li>
 *   <li>The portal a grant belongs to is {@code hub_id} in {@link #TOKEN_INFO_ENDPOINT}'s answer:
 *       store it as the connection's {@link HubSpotConnector#PORTAL_ID} setting.</li>
 *   <li>A missing scope is a 403 with category {@code MISSING_SCOPES}; the connector reports it as
 *       "reauthorization required" because only a new grant with the scope fixes it.</li>
 * </ul>
 */
public final class HubSpotOAuth {
    private HubSpotOAuth() {}

    public static final String AUTHORIZATION_ENDPOINT = "https://app.hubspot.com/oauth/authorize";
    public static final String TOKEN_ENDPOINT = "https://api.hubapi.com/oauth/v1/token";
    /** {@code GET .../{refresh_token}}: who granted it and for which portal ({@code hub_id}). */
    public static final String REFRESH_TOKEN_INFO_ENDPOINT = "https://api.hubapi.com/oauth/v1/refresh-tokens";
    /** {@code GET .../{access_token}}: the grant's {@code hub_id}, {@code scopes} and expiry. */
    public static final String TOKEN_INFO_ENDPOINT = "https://api.hubapi.com/oauth/v1/access-tokens";
    /** {@code DELETE .../{refresh_token}} revokes a grant. */
    public static final String REVOKE_ENDPOINT = "https://api.hubapi.com/oauth/v1/refresh-tokens";

    /** The scopes each stream and action needs. */
    public static final Map<String, List<String>> SCOPES_BY_OPERATION = Map.of(
            // A read first compares the contract with the object's property definitions (schema drift).
            "contacts", List.of("crm.objects.contacts.read", "crm.schemas.contacts.read"),
            "companies", List.of("crm.objects.companies.read", "crm.schemas.companies.read"),
            "deals", List.of("crm.objects.deals.read", "crm.schemas.deals.read"),
            "tickets", List.of("tickets"),
            "owners", List.of("crm.objects.owners.read"),
            "associations",
                    List.of(
                            "crm.objects.contacts.read",
                            "crm.objects.companies.read",
                            "crm.objects.deals.read",
                            "tickets"),
            "properties",
                    List.of(
                            "crm.schemas.contacts.read",
                            "crm.schemas.companies.read",
                            "crm.schemas.deals.read",
                            "tickets"),
            "update_ticket", List.of("tickets"),
            "create_note",
                    List.of(
                            "crm.objects.contacts.write",
                            "crm.objects.companies.write",
                            "crm.objects.deals.write",
                            "tickets"),
            "create_task",
                    List.of(
                            "crm.objects.contacts.write",
                            "crm.objects.companies.write",
                            "crm.objects.deals.write",
                            "tickets"));

    /** Every scope the connector can use, to request in one grant. */
    public static final List<String> ALL_SCOPES = SCOPES_BY_OPERATION.values().stream()
            .flatMap(List::stream)
            .distinct()
            .sorted()
            .toList();
}

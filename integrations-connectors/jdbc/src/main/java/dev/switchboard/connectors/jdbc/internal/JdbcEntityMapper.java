package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.DealStatus;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import java.util.Map;

/**
 * Maps the JDBC connector's rows of conventionally named tables into the unified model, by conventional
 * column names (a column that is absent is simply not mapped):
 *
 * <ul>
 *   <li>{@code customers}: {@link Organization}: {@code name}, {@code domain}, {@code website}, {@code phone},
 *       {@code industry}, {@code employees}, {@code created_at}, {@code updated_at};
 *   <li>{@code contacts}: {@link Person} (a contact): {@code name}, {@code first_name}, {@code last_name},
 *       {@code email}, {@code phone}, {@code title}, {@code created_at}, {@code updated_at};
 *   <li>{@code tickets}: {@link Ticket}: {@code subject}, {@code description}, {@code status} (new, open,
 *       pending, closed; others OTHER), {@code priority} (low, medium, high, urgent), {@code created_at},
 *       {@code updated_at}, {@code closed_at};
 *   <li>{@code orders}: {@link Deal}: {@code name}, {@code amount} in {@code currency} (ISO 4217), {@code status}
 *       (open, won, lost), {@code created_at}, {@code updated_at}.
 * </ul>
 *
 * Tables with other names or columns are mapped through configuration instead: {@code entity.<table>} and
 * {@code field.<table>.<target>} settings, turned into the normalizer's field mappings by
 * {@code JdbcConnector.fieldMappings(connection)} (a whole-stream mapping wins over this mapper). Found by
 * {@link java.util.ServiceLoader} for connector id {@code jdbc}; stateless and thread-safe.
 */
public final class JdbcEntityMapper implements EntityMapper {
    static final Map<String, TicketStatus> TICKET_STATUS = Map.of(
            "new", TicketStatus.NEW,
            "open", TicketStatus.OPEN,
            "pending", TicketStatus.PENDING,
            "closed", TicketStatus.CLOSED,
            "solved", TicketStatus.CLOSED);
    static final Map<String, Priority> PRIORITY =
            Map.of("low", Priority.LOW, "medium", Priority.MEDIUM, "high", Priority.HIGH, "urgent", Priority.URGENT);
    static final Map<String, DealStatus> ORDER_STATUS =
            Map.of("open", DealStatus.OPEN, "won", DealStatus.WON, "paid", DealStatus.WON, "lost", DealStatus.LOST);

    @Override
    public String connector() {
        return "jdbc";
    }

    @Override
    public boolean maps(String stream) {
        return switch (stream) {
            case "customers", "contacts", "tickets", "orders" -> true;
            default -> false;
        };
    }

    @Override
    public Entity.Builder map(SourceFields in) {
        return switch (in.record().stream()) {
            case "customers" ->
                in.entity(EntityType.ORGANIZATION)
                        .set(Organization.NAME, in.text("name"))
                        .set(Organization.DOMAIN, in.domain("domain"))
                        .set(Organization.WEBSITE, in.text("website"))
                        .set(Organization.PHONE, in.phone("phone"))
                        .set(Organization.INDUSTRY, in.text("industry"))
                        .set(Organization.EMPLOYEES, in.integer("employees"))
                        .set(Organization.CREATED_AT, in.timestamp("created_at"))
                        .set(Organization.UPDATED_AT, in.updatedAt("updated_at"));
            case "contacts" ->
                in.entity(EntityType.PERSON)
                        .derived(Person.KIND, new Coded<>(PersonKind.CONTACT, "contacts"))
                        .set(Person.NAME, in.text("name"))
                        .set(Person.FIRST_NAME, in.text("first_name"))
                        .set(Person.LAST_NAME, in.text("last_name"))
                        .set(Person.EMAIL, in.email("email"))
                        .set(Person.PHONE, in.phone("phone"))
                        .set(Person.TITLE, in.text("title"))
                        .set(Person.CREATED_AT, in.timestamp("created_at"));
            case "tickets" ->
                in.entity(EntityType.TICKET)
                        .set(Ticket.SUBJECT, in.text("subject"))
                        .set(Ticket.DESCRIPTION, in.text("description"))
                        .set(Ticket.STATUS, in.coded("status", TicketStatus.class, TICKET_STATUS))
                        .set(Ticket.PRIORITY, in.coded("priority", Priority.class, PRIORITY))
                        .set(Ticket.CREATED_AT, in.timestamp("created_at"))
                        .set(Ticket.UPDATED_AT, in.updatedAt("updated_at"))
                        .set(Ticket.CLOSED_AT, in.timestamp("closed_at"));
            case "orders" ->
                in.entity(EntityType.DEAL)
                        .set(Deal.NAME, in.text("name"))
                        .set(Deal.AMOUNT, in.money("amount", "currency", null))
                        .set(Deal.STATUS, in.coded("status", DealStatus.class, ORDER_STATUS))
                        .set(Deal.CREATED_AT, in.timestamp("created_at"))
                        .set(Deal.UPDATED_AT, in.updatedAt("updated_at"));
            default -> throw new IllegalArgumentException("no mapping for JDBC stream " + in.record().stream());
        };
    }
}

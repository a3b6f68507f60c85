package dev.switchboard.normalize;

import dev.switchboard.core.model.Record;

/**
 * One customer, Acme, as three sources hold it, with records shaped as the connectors emit them,
 * and the configured mappings that type them (the vendor mappers live in the connector modules,
 * which this module cannot see; configured whole-stream mappings take precedence over them anyway).
 */
final class LinkingFixtures {
    private LinkingFixtures() {}

    static final String SF_MAPPINGS = """
      streams:
        Contact:
          entity: person
          fields:
            - { from: Name, to: name }
            - { from: Email, to: email }
            - { from: Phone, to: phone }
            - { from: AccountId, to: organization, object: Account }
            - { from: OwnerId, to: owner, object: User }
        Account:
          entity: organization
          fields:
            - { from: Name, to: name }
            - { from: Website, to: website }
            - { from: AnnualRevenue, to: annualRevenue, currency: USD }
            - { from: OwnerId, to: owner, object: User }
            - { from: Customer_Tier__c, to: custom.tier, type: coded, codes: { Gold: GOLD, Silver: SILVER } }
        Opportunity:
          entity: deal
          fields:
            - { from: Name, to: name }
            - { from: Amount, to: amount, currency: USD }
            - { from: StageName, to: stage }
            - { from: AccountId, to: organization, object: Account }
        Case:
          entity: ticket
          fields:
            - { from: Subject, to: subject }
            - { from: ContactId, to: requester, object: Contact }
            - { from: AccountId, to: organization, object: Account }
            - { from: OwnerId, to: owner, object: User }
      """;

    static final String HS_MAPPINGS = """
      streams:
        contacts:
          entity: person
          fields:
            - { from: email, to: email }
            - { from: firstname, to: firstName }
            - { from: lastname, to: lastName }
            - { from: phone, to: phone }
        companies:
          entity: organization
          fields:
            - { from: name, to: name }
            - { from: domain, to: domain }
            - { from: salesforceaccountid, to: externalId, system: salesforce }
            - { from: hs_custom_tier, to: custom.tier, type: coded, codes: { gold: GOLD, silver: SILVER } }
        tickets:
          entity: ticket
          fields:
            - { from: subject, to: subject }
            - { from: content, to: description }
            - { from: hs_ticket_priority, to: priority }
      """;

    static final String SLACK_MAPPINGS = """
      streams:
        users:
          entity: person
          fields:
            - { from: real_name, to: name }
            - { from: profile.email, to: email }
            - { from: profile.phone, to: phone }
      """;

    static Normalizer normalizer() {
        return Normalizer.builder()
                .serviceLoader(false)
                .fieldMappings(SourceRecords.SF, FieldMappings.parse(SF_MAPPINGS, FieldMappings.Format.YAML))
                .fieldMappings(SourceRecords.HS, FieldMappings.parse(HS_MAPPINGS, FieldMappings.Format.YAML))
                .fieldMappings(SourceRecords.SLACK, FieldMappings.parse(SLACK_MAPPINGS, FieldMappings.Format.YAML))
                .build();
    }

    static Record sfContact(String id, String email, String name, String accountId) {
        return sfContact(id, email, name, accountId, null);
    }

    static Record sfContact(String id, String email, String name, String accountId, String phone) {
        return SourceRecords.salesforce("Contact", """
        {"attributes":{"type":"Contact","url":"/services/data/v62.0/sobjects/Contact/%1$s"},"Id":"%1$s",
         "Name":"%3$s","Email":"%2$s","Phone":%5$s,"AccountId":%4$s,"OwnerId":"0055g00000OwnerAAA",
         "SystemModstamp":"2024-05-02T08:00:00.000+0000"}""".formatted(
                        id,
                        email,
                        name,
                        accountId == null ? "null" : "\"" + accountId + "\"",
                        phone == null ? "null" : "\"" + phone + "\""));
    }

    static Record sfAccount(String id, String name, String website, String tier) {
        return SourceRecords.salesforce(
                "Account", """
        {"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/%1$s"},"Id":"%1$s",
         "Name":"%2$s","Website":%3$s,"AnnualRevenue":5000000,"Customer_Tier__c":"%4$s",
         "OwnerId":"0055g00000OwnerAAA","SystemModstamp":"2024-05-01T08:00:00.000+0000"}""".formatted(id, name, website == null ? "null" : "\"" + website + "\"", tier));
    }

    static Record sfOpportunity(String id, String accountId, String amount) {
        return SourceRecords.salesforce("Opportunity", """
        {"attributes":{"type":"Opportunity","url":"/services/data/v62.0/sobjects/Opportunity/%1$s"},"Id":"%1$s",
         "Name":"Acme renewal","Amount":%3$s,"StageName":"Negotiation","AccountId":"%2$s",
         "OwnerId":"0055g00000OwnerAAA","SystemModstamp":"2024-05-03T08:00:00.000+0000"}""".formatted(id, accountId, amount));
    }

    static Record sfCase(String id, String contactId, String accountId, String subject) {
        return SourceRecords.salesforce("Case", """
        {"attributes":{"type":"Case","url":"/services/data/v62.0/sobjects/Case/%1$s"},"Id":"%1$s",
         "Subject":"%4$s","ContactId":"%2$s","AccountId":"%3$s","OwnerId":"0055g00000AgentAAA",
         "SystemModstamp":"2024-05-04T08:00:00.000+0000"}""".formatted(id, contactId, accountId, subject));
    }

    static Record hsContact(String id, String email, String first, String last, String phone) {
        return SourceRecords.hubspot(
                "contacts", """
        {"id":"%1$s","properties":{"email":"%2$s","firstname":"%3$s","lastname":"%4$s","phone":%5$s,
         "createdate":"2023-02-24T03:00:13.460Z","lastmodifieddate":"2024-04-01T10:00:00Z","hs_object_id":"%1$s"},
         "createdAt":"2023-02-24T03:00:13.460Z","updatedAt":"2024-04-01T10:00:00Z","archived":false}""".formatted(id, email, first, last, phone == null ? "null" : "\"" + phone + "\""));
    }

    static Record hsCompany(String id, String name, String domain, String sfAccountId, String tier) {
        return SourceRecords.hubspot("companies", """
        {"id":"%1$s","properties":{"name":"%2$s","domain":"%3$s","salesforceaccountid":%4$s,"hs_custom_tier":"%5$s",
         "createdate":"2023-02-24T03:00:14.155Z","hs_lastmodifieddate":"2024-04-02T10:00:00Z","hs_object_id":"%1$s"},
         "createdAt":"2023-02-24T03:00:14.155Z","updatedAt":"2024-04-02T10:00:00Z","archived":false}""".formatted(
                        id, name, domain, sfAccountId == null ? "null" : "\"" + sfAccountId + "\"", tier));
    }

    static Record hsTicket(String id, String subject) {
        return SourceRecords.hubspot("tickets", """
        {"id":"%1$s","properties":{"content":"The export fails since Monday","subject":"%2$s",
         "hs_pipeline":"0","hs_pipeline_stage":"1","hs_ticket_priority":"HIGH","hubspot_owner_id":"512",
         "createdate":"2024-05-05T09:00:00Z","hs_lastmodifieddate":"2024-05-05T09:30:00Z","hs_object_id":"%1$s"},
         "createdAt":"2024-05-05T09:00:00Z","updatedAt":"2024-05-05T09:30:00Z","archived":false}""".formatted(id, subject));
    }

    static Record slackUser(String id, String email, String realName) {
        return slackUser(id, email, realName, "+1 415 555 0199");
    }

    static Record slackUser(String id, String email, String realName, String phone) {
        return SourceRecords.slackUser(
                """
        {"id":"%1$s","team_id":"T0ACME","name":"jane","deleted":false,"real_name":"%3$s","tz":"Europe/London",
         "profile":{"real_name":"%3$s","display_name":"jane","email":"%2$s","phone":%4$s},
         "is_admin":false,"is_bot":false,"updated":1714550000}""".formatted(id, email, realName, phone == null ? "null" : "\"" + phone + "\""));
    }
}

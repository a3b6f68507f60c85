package dev.switchboard.testkit.secrets;

/** What a found secret is: a registered value's kind, or the shape a detector recognised. */
public enum SecretKind {
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    CLIENT_SECRET,
    AUTHORIZATION_CODE,
    CODE_VERIFIER,
    API_KEY,
    /** A unique value planted in another tenant's data: seeing it means tenant data crossed over. */
    CANARY,
    OTHER_SECRET,
    /** Detector: a JSON Web Token ({@code eyJ...}.{@code eyJ...}.). */
    JWT_SHAPE,
    /** Detector: {@code Bearer <credential>}. */
    BEARER_CREDENTIAL,
    /** Detector: a Slack token ({@code xoxb-}, {@code xoxp-}, ...). */
    SLACK_TOKEN_SHAPE,
    /** Detector: a Salesforce session id ({@code 00D<org id>!<session>}). */
    SALESFORCE_SESSION_SHAPE
}

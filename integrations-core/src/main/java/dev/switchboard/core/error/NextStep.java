package dev.switchboard.core.error;

/** What the caller (an agent loop, usually) should do next about a failed call. */
public enum NextStep {
    /** Wait for {@link SwitchboardException#retryAfter()} and call again. */
    RETRY_AFTER,
    /** The user must authorize the connection again; retrying will not help. */
    REAUTHORIZE,
    /** A person must decide: approve, check the vendor for a side effect, or grant access. */
    ASK_USER,
    /** The input is wrong; change it as the message says and call again. */
    FIX_INPUT,
    /** Nothing the caller can do will make this call succeed. */
    GIVE_UP
}

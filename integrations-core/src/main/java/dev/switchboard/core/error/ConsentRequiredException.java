package dev.switchboard.core.error;

import java.util.Objects;

/**
 * A write waits for a person's decision: the consent gate asked for one, and nothing was sent. Show
 * {@link #prompt()} to the user through the application (never let the model answer it); the
 * application then calls {@code Switchboard.consent().approve(requestId())} or {@code deny(...)}, and
 * the agent calls the same action again with the same input in the same session: an approval is
 * consumed by that one call.
 */
public final class ConsentRequiredException extends SwitchboardException {
    private final String requestId;
    private final String prompt;

    public ConsentRequiredException(String connector, String operation, String requestId, String prompt) {
        super(
                connector,
                operation,
                "this action needs the user's approval (consent request " + requestId + "): ask the user, and call"
                        + " again with the same input once the application recorded the approval",
                null);
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
    }

    /** The id the application approves or denies. */
    public String requestId() {
        return requestId;
    }

    /** What the person is asked, in words (no secrets; the action's input as given). */
    public String prompt() {
        return prompt;
    }

    @Override
    public NextStep nextStep() {
        return NextStep.ASK_USER;
    }
}

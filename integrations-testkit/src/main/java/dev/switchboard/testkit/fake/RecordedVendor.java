package dev.switchboard.testkit.fake;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A vendor that replays a {@link Recording}: a real HTTP server (the same base as the stateful
 * fakes, so faults, the request journal and token checks work alike) whose answers are the
 * recorded ones. A request without an accepted access token gets the recording's unauthorized
 * answer (else a 401); a request no answer matches gets a 404 naming it, and is listed by
 * {@link #unmatched()} so a test can say which path its recording lacks.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RecordedVendor SLACK = new RecordedVendor(Recording.fromClasspath("recordings/slack"));
 * }</pre>
 *
 * {@link #replay(Recording)} swaps the recording (e.g. for an altered copy) until the next reset.
 */
public final class RecordedVendor extends VendorFake {
    private final Recording initial;
    private volatile Recording recording;
    private final List<FakeRequest> unmatched = new CopyOnWriteArrayList<>();

    public RecordedVendor(Recording recording) {
        this.initial = Objects.requireNonNull(recording, "recording");
        this.recording = recording;
    }

    /** Replays {@code next} from now until the next {@link #reset()} (before each test under JUnit). */
    public RecordedVendor replay(Recording next) {
        this.recording = Objects.requireNonNull(next, "recording");
        return this;
    }

    /** The recording being replayed. */
    public Recording recording() {
        return recording;
    }

    /** The requests since the last reset that no recorded answer matched. */
    public List<FakeRequest> unmatched() {
        return List.copyOf(unmatched);
    }

    @Override
    protected FakeResponse handle(FakeRequest request) {
        Recording r = recording;
        if (!authorized(request)) {
            Recording.Answer denied = r.unauthorized();
            return denied != null
                    ? denied.response()
                    : FakeResponse.json(401, "{\"message\":\"the recorded vendor accepts only its access token\"}");
        }
        Recording.Answer answer = r.answerFor(request);
        if (answer == null) {
            unmatched.add(request);
            return FakeResponse.json(
                    404,
                    "{\"message\":\"no recorded answer to " + request.method() + " "
                            + request.path().replace("\"", "") + "\"}");
        }
        return answer.response();
    }

    @Override
    protected FakeResponse throttled(FakeRequest request) {
        return FakeResponse.json(429, "{\"message\":\"throttled\"}").withHeader("Retry-After", "1");
    }

    @Override
    protected FakeResponse serverError(FakeRequest request, int status) {
        return FakeResponse.json(status, "{\"message\":\"server error\"}");
    }

    @Override
    protected void resetState() {
        recording = initial;
        unmatched.clear();
    }

    @Override
    public String toString() {
        return "RecordedVendor[" + recording + "]";
    }
}

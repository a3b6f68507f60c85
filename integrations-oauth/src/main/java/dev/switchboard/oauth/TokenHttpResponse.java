package dev.switchboard.oauth;

import org.jspecify.annotations.Nullable;

/**
 * A token endpoint's HTTP answer as a {@link TokenResponseParser} sees it. The body holds secrets:
 * {@link #toString()} leaves it out.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header, if any
 * @param body the body, decoded as UTF-8 (bounded in size)
 */
public record TokenHttpResponse(int status, @Nullable String contentType, String body) {
    @Override
    public String toString() {
        return "TokenHttpResponse[status=" + status + ", contentType=" + contentType + ", bodyLength=" + body.length()
                + "]";
    }
}

package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void sensitiveQueryParametersAreMaskedOthersKept() {
        String url = Redaction.url(HttpUrl.get("https://x.test/cb?code=abc123&state=s1&client_secret=zzz&page=2"));
        assertThat(url)
                .doesNotContain("abc123")
                .doesNotContain("zzz")
                .contains("state=s1")
                .contains("page=2");
    }

    @Test
    void bearerTokensAndSecretPairsInMessagesAreMasked() {
        String m = Redaction.message("failed: Authorization: Bearer eyJhbGciOi.x.y refresh_token=r-123&x=1 "
                + "{\"access_token\":\"a-456\",\"client_secret\": \"c-789\"}");
        assertThat(m)
                .doesNotContain("eyJhbGciOi")
                .doesNotContain("r-123")
                .doesNotContain("a-456")
                .doesNotContain("c-789");
    }
}

package dev.wheelwright.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotificationServiceTest {
    @Test
    void signs_like_github_with_the_documented_example() {
        // GitHub's documented test values: secret "It's a Secret to Everybody", payload "Hello, World!"
        assertThat(NotificationService.signature(
                        "It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void backs_off_exponentially_from_one_second_to_at_most_an_hour() {
        assertThat(NotificationService.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(NotificationService.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(NotificationService.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(NotificationService.backoff(12)).isEqualTo(Duration.ofSeconds(2048));
        assertThat(NotificationService.backoff(13)).isEqualTo(Duration.ofHours(1));
        assertThat(NotificationService.backoff(40)).isEqualTo(Duration.ofHours(1));
    }
}

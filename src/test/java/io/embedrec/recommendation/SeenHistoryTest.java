package io.embedrec.recommendation;

import io.embedrec.space.SpaceService;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A long history costs a feed a bounded read: the seen items it leaves out are the most recent 10,000. */
@QuarkusTest
class SeenHistoryTest {

    @Inject
    FeedRepository feeds;

    @Inject
    SpaceService spaces;

    @Test
    void aFeedLeavesOutTheTenThousandMostRecentlySeenItems() {
        TestDb.exec("TRUNCATE items, users, events CASCADE",
                "INSERT INTO items (external_id, title) SELECT 's' || g, 'item ' || g FROM generate_series(1, 10010) g",
                "INSERT INTO users (external_id) VALUES ('long-history')",
                // item s<g> seen at minute g: s1 … s10 are the oldest
                "INSERT INTO events (event_id, user_pk, item_pk, type, weight, ts) SELECT 'e' || g, u.pk, i.pk, "
                        + "'view', 1, timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, 10010) g "
                        + "JOIN items i ON i.external_id = 's' || g CROSS JOIN users u",
                "DELETE FROM embedding_queue");
        FeedRepository.Profile profile = feeds.profile(spaces.require("content"), Optional.empty(), "long-history",
                List.of("view"), 3650).orElseThrow();
        List<String> seen = profile.seen();
        assertThat(seen).hasSize(FeedRepository.MAX_SEEN).startsWith("s10010", "s10009").endsWith("s11")
                .doesNotContain("s1", "s10");
        // the rules' recent items, read in the same round trip, are bounded the same way and carry their times
        assertThat(profile.recent()).hasSize(FeedRepository.MAX_SEEN).doesNotContainKey("s10")
                .containsEntry("s10010", java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()
                        + 10010L * 60_000);
        assertThat(feeds.profile(spaces.require("content"), Optional.empty(), "long-history", List.of("view"), 0)
                .orElseThrow().recent()).isEmpty();
        TestDb.exec("TRUNCATE items, users, events CASCADE");
    }
}

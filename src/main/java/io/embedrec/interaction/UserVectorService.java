package io.embedrec.interaction;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Keeps user vectors current: incrementally per event, and rebuilt from history when that is needed. */
@ApplicationScoped
public class UserVectorService {

    private final UserVectorRepository vectors;
    private final EventRepository events;
    private final SpaceService spaces;
    private final UserVectorAggregator aggregator;

    UserVectorService(UserVectorRepository vectors, EventRepository events, SpaceService spaces,
                      EmbedrecConfig config) {
        this.vectors = vectors;
        this.events = events;
        this.spaces = spaces;
        this.aggregator = new UserVectorAggregator(new UserVectorAggregator.Settings(
                UserVectorAggregator.Decay.valueOf(config.users().decay().toUpperCase(Locale.ROOT)),
                config.users().halfLife().toMillis() / 1000.0, config.users().halfLifeEvents()));
    }

    public UserVectorAggregator aggregator() {
        return aggregator;
    }

    /**
     * Folds newly stored events into their users' vectors in every space (content and collaborative), in the
     * caller's transaction.
     * Users are locked in key order, so concurrent batches for one user serialise and never lose an update.
     */
    public void apply(List<EventRepository.Stored> stored) {
        if (stored.isEmpty()) {
            return;
        }
        Map<Long, List<EventRepository.Stored>> byUser = new TreeMap<>();
        Set<Long> items = new LinkedHashSet<>();
        for (EventRepository.Stored e : stored) {
            byUser.computeIfAbsent(e.userPk(), u -> new ArrayList<>()).add(e);
            items.add(e.itemPk());
        }
        long[] userPks = byUser.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] itemPks = items.stream().mapToLong(Long::longValue).toArray();
        for (Space space : spaces.userVectorSpaces()) {
            Map<Long, float[]> itemVectors = vectors.itemVectors(space, itemPks);
            Map<Long, UserVectorAggregator.State> states = vectors.lock(space, userPks);
            for (Map.Entry<Long, List<EventRepository.Stored>> u : byUser.entrySet()) {
                UserVectorAggregator.State state = states.get(u.getKey());
                List<EventRepository.Stored> list = u.getValue();
                list.sort(Comparator.comparingLong(EventRepository.Stored::tsMillis)
                        .thenComparingLong(EventRepository.Stored::pk));
                if (tiesWithAnEarlierCommit(state, u.getKey(), list)) {
                    states.put(u.getKey(), fromHistory(space, u.getKey()));
                    continue;
                }
                for (EventRepository.Stored e : list) {
                    float[] v = itemVectors.get(e.itemPk());
                    if (v == null || e.weight() == 0) {
                        continue; // no vector yet: a rebuild applies it when it arrives; weight 0: neutral
                    }
                    if (aggregator.fold(state, e.weight(), e.tsMillis(), v)
                            == UserVectorAggregator.Outcome.NEEDS_REBUILD) {
                        states.put(u.getKey(), fromHistory(space, u.getKey()));
                        break;
                    }
                }
            }
            vectors.save(space, states);
        }
    }

    /**
     * Under rank decay, history order is (timestamp, key). An event stamped exactly like the newest folded one, but
     * whose key is lower than that one's (a concurrent batch took a higher key yet committed first), belongs before
     * it: folding it as the newest would rank the two the other way round than a rebuild does.
     */
    private boolean tiesWithAnEarlierCommit(UserVectorAggregator.State state, long userPk,
                                            List<EventRepository.Stored> ownInOrder) {
        EventRepository.Stored first = ownInOrder.get(0);
        if (aggregator.settings().decay() != UserVectorAggregator.Decay.RANK || state.count == 0
                || first.tsMillis() != state.refMillis) {
            return false;
        }
        return events.othersAfter(userPk, first.tsMillis(), first.pk(),
                ownInOrder.stream().mapToLong(EventRepository.Stored::pk).toArray());
    }

    /** The user's state in a space computed from the whole history (what incremental updates must equal). */
    public UserVectorAggregator.State fromHistory(Space space, long userPk) {
        List<EventRepository.Stored> history = events.history(userPk);
        long[] itemPks = history.stream().mapToLong(EventRepository.Stored::itemPk).distinct().toArray();
        return fold(space, history, vectors.itemVectors(space, itemPks));
    }

    private UserVectorAggregator.State fold(Space space, List<EventRepository.Stored> history,
                                            Map<Long, float[]> itemVectors) {
        UserVectorAggregator.State state = new UserVectorAggregator.State(space.dimensions());
        for (EventRepository.Stored e : history) {
            float[] v = itemVectors.get(e.itemPk());
            if (v != null && e.weight() != 0) {
                aggregator.fold(state, e.weight(), e.tsMillis(), v);
            }
        }
        return state;
    }

    /** Rebuilds one user in one space from history, under the user's row lock. */
    public void rebuild(Space space, long userPk) {
        rebuild(space, new long[]{userPk});
    }

    /**
     * Rebuilds users in one space from history under their row locks, in the caller's transaction: one statement
     * each to lock, read the histories, read the item vectors and save, however many users (a training job
     * rebuilds every user in its new space).
     */
    public void rebuild(Space space, long[] userPks) {
        // a user erased since the rebuild was queued has nothing left to rebuild (and must not be written back)
        long[] sorted = events.holdUsers(userPks);
        Map<Long, UserVectorAggregator.State> locked = vectors.lock(space, sorted);
        Map<Long, List<EventRepository.Stored>> histories = events.histories(sorted);
        long[] itemPks = histories.values().stream().flatMap(List::stream)
                .mapToLong(EventRepository.Stored::itemPk).distinct().toArray();
        Map<Long, float[]> itemVectors = vectors.itemVectors(space, itemPks);
        for (long user : sorted) {
            locked.put(user, fold(space, histories.getOrDefault(user, List.of()), itemVectors));
        }
        vectors.save(space, locked);
    }

    /** Drains up to {@code limit} queued rebuilds, each in its own transaction. @return how many were done */
    public int rebuildQueued(int limit) {
        return rebuildQueued(null, limit);
    }

    /**
     * Drains up to {@code limit} queued rebuilds of the given spaces (null: any), one transaction per space.
     * @return how many were taken
     */
    public int rebuildQueued(int[] spaceIds, int limit) {
        List<long[]> taken = QuarkusTransaction.requiringNew().call(() -> events.takeRebuilds(spaceIds, limit));
        Map<Integer, List<Long>> bySpace = new TreeMap<>();
        for (long[] t : taken) {
            bySpace.computeIfAbsent((int) t[0], id -> new ArrayList<>()).add(t[1]);
        }
        bySpace.forEach((spaceId, users) -> spaces.byId(spaceId).ifPresent(space -> QuarkusTransaction.requiringNew()
                .run(() -> rebuild(space, users.stream().mapToLong(Long::longValue).toArray()))));
        return taken.size();
    }
}

package io.embedrec.space;

import io.embedrec.common.ItemsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;

/**
 * Keeps vectors current: when items change, queues those whose text (per each space's recipe) changed, in the
 * same transaction as the items. Items whose text is unchanged are never queued, so never re-embedded.
 */
@ApplicationScoped
class VectorMaintenance {

    private final SpaceRepository spaces;
    private final VectorRepository vectors;
    private final Event<WorkQueued> workQueued;

    VectorMaintenance(SpaceRepository spaces, VectorRepository vectors, Event<WorkQueued> workQueued) {
        this.spaces = spaces;
        this.vectors = vectors;
        this.workQueued = workQueued;
    }

    void onItemsChanged(@Observes ItemsChanged event) {
        List<Space> content = spaces.all().stream().filter(s -> s.kind() == Space.Kind.CONTENT).toList();
        if (content.isEmpty()) {
            return;
        }
        int n = event.items().size();
        long[] pks = new long[n];
        for (int k = 0; k < n; k++) {
            pks[k] = event.items().get(k).pk();
        }
        int queued = 0;
        for (Space space : content) {
            byte[][] hashes = new byte[n][];
            for (int k = 0; k < n; k++) {
                ItemsChanged.Changed it = event.items().get(k);
                hashes[k] = TextRecipe.hash(space.recipe().render(it.title(), it.description(), it.categories(),
                        it.attributes()));
            }
            queued += vectors.enqueueChanged(space, pks, hashes, null);
        }
        if (queued > 0) {
            workQueued.fire(new WorkQueued());
        }
    }
}

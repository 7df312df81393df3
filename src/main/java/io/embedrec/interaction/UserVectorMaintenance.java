package io.embedrec.interaction;

import io.embedrec.common.ItemsDeleting;
import io.embedrec.space.SpaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Users whose history involves a deleted item get their vectors rebuilt without it. */
@ApplicationScoped
class UserVectorMaintenance {

    private final EventRepository events;
    private final SpaceService spaces;

    UserVectorMaintenance(EventRepository events, SpaceService spaces) {
        this.events = events;
        this.spaces = spaces;
    }

    void onItemDeleting(@Observes ItemsDeleting ev) {
        // event batches on the item in flight commit first, so their users are among those queued
        events.holdItems(new long[]{ev.itemPk()});
        spaces.userVectorSpaces().forEach(s -> events.queueRebuildForItems(s.id(), new long[]{ev.itemPk()}));
    }
}

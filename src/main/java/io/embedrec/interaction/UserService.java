package io.embedrec.interaction;

import io.embedrec.common.Cursor;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Page;
import io.embedrec.common.ProblemException.FieldError;
import io.embedrec.common.UserErasing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** User use cases: list, profile, history, erase. Users are created by their first event. */
@ApplicationScoped
public class UserService {

    static final int MAX_PAGE = 1000;
    static final int TOP_CATEGORIES = 5;

    private final UserRepository users;
    private final EmbedrecConfig config;
    private final Event<UserErasing> erasing;

    UserService(UserRepository users, EmbedrecConfig config, Event<UserErasing> erasing) {
        this.users = users;
        this.config = config;
        this.erasing = erasing;
    }

    public Page<UserSummary> list(Integer limit, String cursor) {
        int n = pageSize(limit);
        List<UserSummary> page = users.page(Cursor.decode(cursor), n + 1);
        List<UserSummary> out = page.subList(0, Math.min(n, page.size()));
        return Page.of(out, page.size() > n ? Optional.of(Cursor.encode(out.get(n - 1).id())) : Optional.empty());
    }

    @Transactional
    public UserProfile get(String id) {
        UserRepository.UserRow u = users.find(id).orElseThrow(() -> new UserNotFoundException(id));
        var counts = users.countsByType(u.pk());
        Instant[] span = users.span(u.pk());
        return new UserProfile(u.id(), counts, counts.values().stream().mapToLong(Long::longValue).sum(), span[0],
                span[1], users.topCategories(u.pk(), TOP_CATEGORIES), u.createdAt());
    }

    /** The user's events, newest first. */
    @Transactional
    public Page<UserEvent> events(String id, Integer limit, String cursor) {
        int n = pageSize(limit);
        Optional<UserRepository.EventKey> after = Cursor.decode(cursor).map(UserService::eventKey);
        UserRepository.UserRow u = users.find(id).orElseThrow(() -> new UserNotFoundException(id));
        List<UserRepository.EventRow> page = users.events(u.pk(), after, n + 1);
        List<UserEvent> out = page.stream().limit(n).map(UserRepository.EventRow::event).toList();
        Optional<String> next = Optional.empty();
        if (page.size() > n) {
            UserRepository.EventKey last = page.get(n - 1).key();
            next = Optional.of(Cursor.encode(last.ts() + "|" + last.pk()));
        }
        return Page.of(out, next);
    }

    /** Erases the user's events, vectors and logged feeds; their feeds become cold-start ones. */
    @Transactional
    public void delete(String id) {
        if (!users.delete(id)) {
            throw new UserNotFoundException(id);
        }
        erasing.fire(new UserErasing(id));
    }

    private int pageSize(Integer limit) {
        int n = limit == null ? config.catalog().defaultPageSize() : limit;
        if (n < 1 || n > MAX_PAGE) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_PAGE + " (got " + n + ")",
                    List.of(new FieldError("limit", "must be between 1 and " + MAX_PAGE)));
        }
        return n;
    }

    private static UserRepository.EventKey eventKey(String key) {
        int bar = key.lastIndexOf('|');
        try {
            return new UserRepository.EventKey(Instant.parse(key.substring(0, bar)),
                    Long.parseLong(key.substring(bar + 1)));
        } catch (DateTimeParseException | NumberFormatException | IndexOutOfBoundsException e) {
            throw new InvalidInputException("cursor is not a cursor this API issued; pass the 'next' value of the "
                    + "previous page unchanged");
        }
    }
}

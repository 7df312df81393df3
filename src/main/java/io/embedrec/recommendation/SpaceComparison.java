package io.embedrec.recommendation;

import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Jdbc;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceConflictException;
import io.embedrec.space.SpaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Compares two spaces' neighbourhoods on a sample of items: how much "more like this" would change on a switch. */
@ApplicationScoped
public class SpaceComparison {

    static final int K = 10;
    static final int EXAMPLES = 3;

    /** Mean overlap@10 of the two spaces' neighbours, over {@code sampled} items, with a few side-by-side examples. */
    public record Result(String space, String against, int sampled, double meanOverlapAt10, List<Example> examples) {
    }

    public record Example(String id, String title, List<Recommended> inSpace, List<Recommended> inAgainst,
                          double overlap) {
    }

    private final SpaceService spaces;
    private final NeighbourRepository neighbours;
    private final Jdbc jdbc;

    SpaceComparison(SpaceService spaces, NeighbourRepository neighbours, Jdbc jdbc) {
        this.spaces = spaces;
        this.neighbours = neighbours;
        this.jdbc = jdbc;
    }

    /** Items compared per request at most: each costs two neighbour queries. */
    static final int MAX_SAMPLE = 500;

    @Transactional
    public Result compare(String name, String againstName, Integer sample) {
        int n = sample == null ? 200 : sample;
        if (n < 1 || n > MAX_SAMPLE) {
            throw new InvalidInputException("sample must be between 1 and " + MAX_SAMPLE + " (got " + n + ")");
        }
        Space a = spaces.require(name);
        Space b = againstName == null || againstName.isBlank()
                ? spaces.resolve(java.util.Optional.empty(), a.kind()) : spaces.require(againstName);
        if (a.id() == b.id()) {
            throw new InvalidInputException("'against' must name another space than '" + name + "'");
        }
        for (Space s : List.of(a, b)) {
            // its index is not built yet: every neighbour query would scan the whole table
            if (s.status() == Space.Status.BUILDING) {
                throw new SpaceConflictException("space '" + s.name() + "' is still building; compare it when its "
                        + "build job is done");
            }
        }
        // a deterministic spread of items that have vectors in both spaces
        List<Object[]> items = jdbc.query("SELECT i.pk, i.external_id, i.title FROM " + a.table() + " va JOIN "
                + b.table() + " vb USING (item_pk) JOIN items i ON i.pk = va.item_pk "
                + "ORDER BY hashint8(i.pk), i.pk LIMIT ?", ps -> ps.setInt(1, n),
                rs -> new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3)});
        double sum = 0;
        List<Example> examples = new ArrayList<>();
        for (Object[] it : items) {
            long pk = (Long) it[0];
            List<Recommended> na = neighbours.nearest(a, new NeighbourRepository.OfItem(pk), OptionalLong.of(pk),
                    Filters.NONE, K).items();
            List<Recommended> nb = neighbours.nearest(b, new NeighbourRepository.OfItem(pk), OptionalLong.of(pk),
                    Filters.NONE, K).items();
            Set<String> ids = new HashSet<>();
            na.forEach(r -> ids.add(r.id()));
            long common = nb.stream().filter(r -> ids.contains(r.id())).count();
            double overlap = (double) common / K;
            sum += overlap;
            if (examples.size() < EXAMPLES) {
                examples.add(new Example((String) it[1], (String) it[2], na, nb, overlap));
            }
        }
        double mean = items.isEmpty() ? 0 : Math.round(sum / items.size() * 1000) / 1000.0;
        return new Result(a.name(), b.name(), items.size(), mean, examples);
    }
}

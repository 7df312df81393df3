package io.embedrec.recommendation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke &amp; Büttcher, SIGIR 2009): each list adds 1 / (c + rank) to an item's
 * score, rank counted from 1; c = 60 as in the paper. Robust to lists whose scores are on different scales, like
 * cosine similarity and ts_rank. Pure.
 */
public final class ReciprocalRankFusion {

    public static final int C = 60;

    private ReciprocalRankFusion() {
    }

    /** Fuses ranked lists into the top {@code k}; ties are broken by id for a stable answer. */
    public static List<Recommended> fuse(List<List<Recommended>> lists, int k) {
        Map<String, Recommended> first = new LinkedHashMap<>();
        Map<String, Double> score = new LinkedHashMap<>();
        for (List<Recommended> list : lists) {
            for (int r = 0; r < list.size(); r++) {
                Recommended item = list.get(r);
                first.putIfAbsent(item.id(), item);
                score.merge(item.id(), 1.0 / (C + r + 1), Double::sum);
            }
        }
        List<Recommended> out = new ArrayList<>(score.size());
        score.forEach((id, s) -> {
            Recommended it = first.get(id);
            out.add(new Recommended(id, Math.round(s * 1e6) / 1e6, it.title(), it.categories()));
        });
        out.sort(Comparator.comparingDouble(Recommended::score).reversed().thenComparing(Recommended::id));
        return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
    }
}

#!/usr/bin/env python3
"""Synthetic interaction history (NDJSON events) for the embedrec demo catalog.

Standard library only; deterministic for a given seed and end time. Normally run
through scripts/make-demo-history.sh:

    demo_history.py --catalog CATALOG --out OUT [--users N] [--seed S]
                    [--events-per-user E] [--days D] [--end ISO-8601]

Each user has hidden tastes: 1-3 favourite "taste" categories of the catalog (a
section such as `games` or `science`, or a facet such as `field:biology` or
`game:strategy`) with Dirichlet(1) weights. Items have a Zipf-like popularity
(a seeded random order, weight 1/rank^0.8), so within a taste popular items are
picked more often. A user's events are sessions: a view, sometimes a click, an
add_to_cart, a purchase (and then sometimes a rating), sometimes a like; 12% of
sessions explore an item outside the user's tastes, and about a fifth of those
end in a skip or a dislike. Timestamps lie in the last D days before --end
(default: now, rounded down to the hour), increasing per user.

Also writes OUT.tastes.json: each user's hidden tastes, to compare a user's feed
with what the user really likes.
"""

import argparse
import datetime
import json
import math
import random
import sys

# Categories that describe what a package is about (sections, fields, game
# genres). Interface, language and format facets say how it is made, not what a
# person would want more of, so they are not tastes.
TASTE_PREFIXES = ("field:", "game:")
NOT_TASTES = {"libs", "libdevel", "oldlibs", "doc", "metapackages", "misc", "kernel", "localization",
              "introspection", "debug", "fonts", "x11", "gnome", "kde", "utils", "devel", "admin", "net",
              "interpreters", "python", "perl", "java", "javascript", "ruby", "php", "rust", "golang",
              "haskell", "lisp", "ocaml", "gnu-r", "cli-mono", "text", "otherosfs", "shells", "tex",
              "vcs", "httpd", "embedded", "zope", "xfce", "translations", "comm", "web", "database"}
MIN_TASTE_ITEMS = 30
EXPLORE = 0.12
ZIPF_EXPONENT = 0.8


def load_catalog(path):
    items = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                o = json.loads(line)
                items.append((o["id"], o.get("categories") or []))
    if not items:
        sys.exit("the catalog %s has no items" % path)
    items.sort()
    return items


def taste_pools(items):
    pools = {}
    for index, (_, cats) in enumerate(items):
        for c in cats:
            if c.startswith(TASTE_PREFIXES) or (":" not in c and c not in NOT_TASTES):
                pools.setdefault(c, []).append(index)
    # a small catalog (e.g. DEMO_LIMIT=300) still gets tastes: the bar drops to what its categories can offer
    need = min(MIN_TASTE_ITEMS, max(3, len(items) // 50))
    return {c: ix for c, ix in sorted(pools.items()) if len(ix) >= need}


class Weighted:
    """Draws from a fixed list with weights (cumulative sums, binary search)."""

    def __init__(self, values, weights):
        self.values = values
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)

    def draw(self, rng):
        x = rng.random() * self.cum[-1]
        lo, hi = 0, len(self.cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.cum[mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        return self.values[lo]


def dirichlet_ones(rng, n):
    g = [rng.gammavariate(1.0, 1.0) for _ in range(n)]
    s = sum(g)
    return [x / s for x in g]


def session(rng, liked):
    """The event types of one visit to an item, in order."""
    if not liked:
        r = rng.random()
        if r < 0.15:
            return ["view", "skip"]
        if r < 0.22:
            return ["view", "dislike"]
        return ["view"] if rng.random() < 0.8 else ["view", "click"]
    out = ["view"]
    if rng.random() < 0.45:
        out.append("click")
        if rng.random() < 0.35:
            out.append("add_to_cart")
            if rng.random() < 0.55:
                out.append("purchase")
                if rng.random() < 0.3:
                    out.append("rating")
    if rng.random() < 0.12:
        out.append("like")
    return out


def generate(items, users, seed, events_per_user, days, end):
    rng = random.Random(seed)
    pools = taste_pools(items)
    names = list(pools)
    if not names:
        sys.exit("no category has %d items or more to make tastes of" % MIN_TASTE_ITEMS)
    order = list(range(len(items)))
    rng.shuffle(order)
    popularity = [0.0] * len(items)
    for rank, index in enumerate(order):
        popularity[index] = 1.0 / (rank + 1) ** ZIPF_EXPONENT
    by_pool = {c: Weighted(ix, [popularity[i] for i in ix]) for c, ix in pools.items()}
    anything = Weighted(list(range(len(items))), popularity)
    # tastes themselves are skewed: big sections are chosen more often, as in a real audience
    taste_choice = Weighted(names, [math.sqrt(len(pools[c])) for c in names])

    end_s = int(end.timestamp())
    span = days * 86400
    events, tastes = [], {}
    for u in range(users):
        user = "demo-user-%04d" % (u + 1)
        chosen = []
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
            c = taste_choice.draw(rng)
            if c not in chosen:
                chosen.append(c)
        weights = dirichlet_ones(rng, len(chosen))
        tastes[user] = {c: round(w, 3) for c, w in zip(chosen, weights)}
        pick_taste = Weighted(chosen, weights)
        target = max(5, min(150, int(rng.lognormvariate(math.log(events_per_user), 0.5))))
        t = end_s - span + rng.randrange(span // 3)
        # ~2 events per session; leave room so the history rarely runs into the end
        mean_gap = max(60.0, (end_s - t) / (target / 2.0) / 1.5)
        n = 0
        while n < target:
            t += int(rng.expovariate(1.0 / mean_gap)) + 30
            if t >= end_s:
                break
            explore = rng.random() < EXPLORE
            item = anything.draw(rng) if explore else by_pool[pick_taste.draw(rng)].draw(rng)
            liked = not explore or any(c in tastes[user] for c in items[item][1])
            for step, kind in enumerate(session(rng, liked)):
                if step:
                    t = min(end_s - 1, t + rng.randrange(5, 90))
                ts = t
                n += 1
                e = {"id": "demo-%d-%s-%d" % (seed, user, n), "user": user, "item": items[item][0], "type": kind,
                     "timestamp": datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
                     .strftime("%Y-%m-%dT%H:%M:%SZ")}
                if kind == "rating":
                    e["value"] = rng.choice((4, 5, 5)) if liked else rng.choice((1, 2))
                events.append((ts, u, n, e))
    events.sort(key=lambda x: (x[0], x[1], x[2]))
    return [e for _, _, _, e in events], tastes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--users", type=int, default=500)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--events-per-user", type=int, default=30)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--end", help="ISO-8601 UTC end of the history (default: now, rounded down to the hour)")
    a = ap.parse_args()
    if a.users < 1 or a.events_per_user < 1 or a.days < 1:
        sys.exit("--users, --events-per-user and --days must be positive")
    if a.end:
        end = datetime.datetime.fromisoformat(a.end.replace("Z", "+00:00"))
    else:
        end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    items = load_catalog(a.catalog)
    events, tastes = generate(items, a.users, a.seed, a.events_per_user, a.days, end)
    with open(a.out, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    with open(a.out + ".tastes.json", "w", encoding="utf-8") as f:
        json.dump(tastes, f, indent=1, sort_keys=True)
    kinds = {}
    for e in events:
        kinds[e["type"]] = kinds.get(e["type"], 0) + 1
    print("wrote %d events of %d users to %s (%s); tastes in %s.tastes.json" % (
        len(events), a.users, a.out, ", ".join("%s %d" % kv for kv in sorted(kinds.items(), key=lambda kv: -kv[1])),
        a.out), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Recommendation quality of a running embedrec, through its public HTTP API, beside reference recommenders
computed here on exactly the same split (numpy/scipy). Run by bench/quality/run.sh, which starts the service.

    quality.py --url URL --dataset KIND --dataset-dir DIR [--name NAME] [--split test|validation]
               [--train JSON] [--variant NAME=QUERY ...] [--users N] [--seed S] [--out FILE] [--note TEXT]

Loads the dataset (a loader per KIND: anime, demo), splits each user's positives (test: 20% of them; validation:
20% of the rest again; at random with a fixed seed, or the last ones when events have timestamps), imports the
catalog, waits until the content space has embedded it, posts the train events, trains a collaborative space,
asks each evaluated user's feed (k=10) per variant, and scores them and most_popular, item_knn and EASE with
Recall@10, NDCG@10, HitRate@10, catalog coverage and cold hits. Prints a markdown table (also written to --out).
"""

import argparse
import concurrent.futures
import csv
import html
import http.client
import io
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass

import numpy as np
import scipy.linalg.lapack as lapack
import scipy.sparse as sp

K = 10
HELD_OUT_SHARE = 0.2
KNN_NEIGHBOURS = 50
EASE_LAMBDAS = (50, 100, 200, 500, 1000, 2000)
EVENTS_PER_REQUEST = 1000
CLIENT_THREADS = 4
# the service's defaults (README, embedrec.events.weights.*): types with a positive weight, and ratings above 3
POSITIVE_TYPES = {"view", "click", "add_to_cart", "purchase", "like"}
RATING_CENTRE = 3


@dataclass
class Event:
    item: str
    type: str
    positive: bool
    value: float = None
    timestamp: str = None


@dataclass
class Dataset:
    items: list      # NDJSON import lines (dicts)
    histories: dict  # user -> [Event], in time order when ordered
    ordered: bool    # events have timestamps: hold out each user's last positives, not random ones


def fail(message):
    sys.exit(f"quality: {message}")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- loaders: one per dataset kind ----

def load_anime(path):
    """anime-5k (MyAnimeList via caserec): positives are ratings >= 8; no timestamps. Never reads `rating` or
    `members` of anime_info.dat: they were computed on the full dataset, test users included."""
    def tsv(z, name):
        with z.open(name) as f:
            yield from csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"), delimiter="\t",
                                      quoting=csv.QUOTE_NONE)
    with zipfile.ZipFile(os.path.join(path, "anime.zip")) as z:
        items = [{"id": r["anime_ids"], "title": html.unescape(r["name"]).strip(),
                  "categories": [g.strip() for g in r["genre"].split(",") if g.strip()],
                  "attributes": {"type": r["type"]} if r["type"] else {}}
                 for r in tsv(z, "anime/anime_info.dat")]
        histories = {}
        for r in tsv(z, "anime/anime_ratings.dat"):
            if int(r["Feedback"]) >= 8:
                histories.setdefault("u" + r["User_ID"], []).append(Event(r["Anime_ID"], "like", True))
    return Dataset(items, histories, ordered=False)


def load_demo(path):
    """The repo's synthetic demo: DIR/catalog.ndjson (scripts/make-demo-catalog.sh) and DIR/history.ndjson
    (scripts/make-demo-history.sh), events with types and timestamps."""
    with open(os.path.join(path, "catalog.ndjson"), encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    histories = {}
    with open(os.path.join(path, "history.ndjson"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                value = e.get("value")
                positive = value > RATING_CENTRE if e["type"] == "rating" else e["type"] in POSITIVE_TYPES
                histories.setdefault(e["user"], []).append(
                    Event(e["item"], e["type"], positive, value, e["timestamp"]))
    for events in histories.values():
        events.sort(key=lambda e: e.timestamp)  # stable: same-second events keep the file's order
    return Dataset(items, histories, ordered=True)


LOADERS = {"anime": load_anime, "demo": load_demo}


# ---- the split ----

def split(histories, ordered, seed, level):
    """One level of the split. Per user with >= 2 positive events, 20% of them (rounded, at least 1, at most all but
    1) are held out: the last ones when ordered (the train part is everything before the first held-out event),
    else a seeded random choice (the train part is the rest). Returns the train histories of every user with a
    train positive and the relevant items (held out, not in the user's train part) of the users that have any."""
    train, relevant, held_out = {}, {}, {}
    for user, events in histories.items():
        pos = [i for i, e in enumerate(events) if e.positive]
        n = len(pos)
        if n == 0:
            continue
        if n < 2:
            train[user] = events
            continue
        t = min(max(int(n * HELD_OUT_SHARE + 0.5), 1), n - 1)
        if ordered:
            held = pos[-t:]
            kept = events[:held[0]]
            held_out[user] = events[held[0]:]
        else:
            held = random.Random(f"{seed}:{level}:{user}").sample(pos, t)
            chosen = set(held)
            kept = [e for i, e in enumerate(events) if i not in chosen]
            held_out[user] = [events[i] for i in sorted(held)]
        train[user] = kept
        rel = {events[i].item for i in held} - {e.item for e in kept}
        if rel:
            relevant[user] = rel
    return train, relevant, held_out


# ---- the service, over HTTP ----

class Api:
    """A keep-alive HTTP/1.1 connection per thread; one retry on a new connection if the old one was closed."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.local = threading.local()

    def call(self, method, path, body=None, content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        headers = {"Content-Type": content_type} if body is not None else {}
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        ctype = r.getheader("Content-Type") or ""
        return r.status, json.loads(data) if "json" in ctype and data else data.decode(errors="replace")

    def ok(self, method, path, body=None, content_type="application/json", expect=(200,)):
        status, answer = self.call(method, path, body, content_type)
        if status not in expect:
            fail(f"{method} {path} answered {status}: {str(answer)[:1000]}")
        return answer


def import_items(api, items):
    body = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode()
    r = api.ok("POST", "/v1/items/import", body, "application/x-ndjson")
    if r["rejected"] or r["created"] + r["updated"] + r["unchanged"] != len(items):
        fail(f"import rejected items: {json.dumps(r)[:2000]}")
    return r


def content_space(api):
    spaces = api.ok("GET", "/v1/spaces")["items"]
    return next(s for s in spaces if s["kind"] == "content" and s["active"])


def wait_embedded(api, n_items):
    last = 0
    while True:
        s = content_space(api)
        v = s["vectors"]
        if v["failed"]:
            fail(f"the content space '{s['name']}' failed to embed {v['failed']} items: {json.dumps(s)}")
        if v["ready"] >= n_items and not v["pending"]:
            return s["name"]
        if time.monotonic() - last > 15:
            log(f"  embedding: {v['ready']}/{n_items} ready, {v['pending']} pending")
            last = time.monotonic()
        time.sleep(1)


def post_events(api, train, tag=""):
    batch, posted = [], 0

    def flush():
        r = api.ok("POST", "/v1/events", batch)
        if r["rejected"] or r["accepted"] + r["duplicates"] != len(batch):
            fail(f"events rejected: {json.dumps(r)[:2000]}")
        batch.clear()

    for user in sorted(train):
        for n, e in enumerate(train[user]):
            o = {"id": f"{user}-{tag}{n}", "user": user, "item": e.item, "type": e.type}
            if e.value is not None:
                o["value"] = e.value
            if e.timestamp is not None:
                o["timestamp"] = e.timestamp
            batch.append(o)
            posted += 1
            if len(batch) == EVENTS_PER_REQUEST:
                flush()
    if batch:
        flush()
    return posted


def run_job(api, path, body, what):
    """Starts a job (202) and waits for its result; a job that does not end done fails the run."""
    job = api.ok("POST", path, body, expect=(202,))
    while job["state"] in ("queued", "running"):
        time.sleep(2)
        job = api.ok("GET", f"/v1/jobs/{job['id']}")
    if job["state"] != "done":
        fail(f"{what} job {job['id']} ended {job['state']}: {job.get('error')}")
    return job["result"]


def train_collaborative(api, body):
    return run_job(api, "/v1/jobs/train", body.encode(), "training")


def offline_evaluation(api):
    """POST /v1/evaluations on everything posted: its per-user time split finds the held-out events (posted last)."""
    return run_job(api, "/v1/evaluations", {"k": K, "test_fraction": HELD_OUT_SHARE}, "evaluation")


def feeds(api, users, variants):
    """Every user's top-K per variant, 4 requests in flight. Returns {variant: {user: [(id, reason type)]}} and
    the errors (variant, user, status, body); a failed request leaves that user's list empty."""
    def one(task):
        name, query, user = task
        path = f"/v1/users/{urllib.parse.quote(user, safe='')}/recommendations?k={K}" + (f"&{query}" if query else "")
        status, answer = api.call("GET", path)
        if status != 200:
            body = answer if isinstance(answer, str) else json.dumps(answer)
            return name, user, None, (name, user, status, body[:300])
        return name, user, [(i["id"], (i.get("reason") or {}).get("type")) for i in answer["items"]], None

    out = {name: {} for name, _ in variants}
    errors = []
    tasks = [(name, query, u) for name, query in variants for u in users]
    with concurrent.futures.ThreadPoolExecutor(CLIENT_THREADS) as pool:
        for name, user, got, error in pool.map(one, tasks):
            out[name][user] = got or []
            if error:
                errors.append(error)
    return out, errors


# ---- references, on the same train events ----

def matrices(train, users, index):
    """X: binary users x items of train positives; counts: positive events per item; seen: users x items of any
    train event (what every recommender leaves out)."""
    rows, cols, seen_r, seen_c = [], [], [], []
    counts = np.zeros(len(index))
    for u, user in enumerate(users):
        for e in train.get(user, ()):
            i = index[e.item]
            seen_r.append(u)
            seen_c.append(i)
            if e.positive:
                rows.append(u)
                cols.append(i)
                counts[i] += 1
    shape = (len(users), len(index))
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    x.data[:] = 1.0  # duplicates were summed
    seen = sp.csr_matrix((np.ones(len(seen_r)), (seen_r, seen_c)), shape=shape)
    return x, counts, seen


def gram(x):
    """XᵀX over the items with at least one positive (the others score 0 in item-kNN and EASE alike), dense."""
    warm = np.flatnonzero(np.asarray(x.sum(axis=0)).ravel())
    xw = x[:, warm]
    return warm, (xw.T @ xw).toarray()


def item_knn(x):
    """Cosine of binary co-occurrence columns, each item's KNN_NEIGHBOURS most similar kept (Sarwar et al. 2001)."""
    warm, g = gram(x)
    norms = np.sqrt(np.diag(g))
    s = g / np.outer(norms, norms)
    np.fill_diagonal(s, 0)
    keep = np.argpartition(-s, KNN_NEIGHBOURS, axis=1)[:, :KNN_NEIGHBOURS]
    mask = np.zeros_like(s, dtype=bool)
    np.put_along_axis(mask, keep, True, axis=1)
    s[~mask] = 0
    return warm, s


def ease(x, lam):
    """EASE (Steck 2019): B = I − P / diag(P) with P = (XᵀX + λI)⁻¹, diag(B) = 0. P by Cholesky (SPD)."""
    warm, g = gram(x)
    g[np.diag_indices_from(g)] += lam
    c, info = lapack.dpotrf(g, lower=False, overwrite_a=True)
    if info == 0:
        c, info = lapack.dpotri(c, lower=False, overwrite_c=True)
    if info:
        fail(f"EASE: Cholesky inversion failed (info {info})")
    p = np.triu(c) + np.triu(c, 1).T
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0)
    return warm, b


def rank(scores_of, seen, rows):
    """Top-K of scores_of(row indexes) -> dense users x items scores, for the given rows, 500 at a time."""
    out = []
    for start in range(0, len(rows), 500):
        r = rows[start:start + 500]
        out += top_k(scores_of(r), seen[r])
    return out


def item_model(model, x):
    """Scores x @ model of an item x item model = (warm item indexes, warm x warm matrix); the others score 0."""
    warm, m = model

    def scores_of(r):
        scores = np.zeros((len(r), x.shape[1]))
        scores[:, warm] = x[r][:, warm] @ m
        return scores
    return scores_of


def top_k(scores, seen):
    """Best K per row, excluding seen; ties broken by the lower item index."""
    scores[seen.nonzero()] = -np.inf
    part = np.argpartition(-scores, K, axis=1)[:, :K]
    out = []
    for row, cand in zip(scores, part):
        cand = cand[np.isfinite(row[cand])]
        out.append(cand[np.lexsort((cand, -row[cand]))].tolist())
    return out


def tune_ease(train, users, index, ordered, seed, level):
    """λ by Recall@10 on a validation split carved from the train part (the next level of the same split)."""
    inner, val, _ = split({u: train[u] for u in users}, ordered, seed, level)
    x, _, seen = matrices(inner, users, index)
    rows = [u for u, user in enumerate(users) if user in val]
    rel = [{index[i] for i in val[users[u]]} for u in rows]
    no_cold = np.zeros(len(index), dtype=bool)
    trials = {}
    for lam in EASE_LAMBDAS:
        trials[lam] = metrics(rank(item_model(ease(x, lam), x), seen, rows), rel, no_cold)["recall"]
        log(f"  EASE λ={lam}: validation Recall@{K} {trials[lam]:.4f}")
    return max(EASE_LAMBDAS, key=lambda lam: (trials[lam], -lam)), trials


def references(train, users, evaluated, index, ordered, seed, level):
    """Top-K of most_popular, item_knn and EASE per evaluated user (item indexes), and EASE's λ trials."""
    x, counts, seen = matrices(train, users, index)
    at = {u: n for n, u in enumerate(users)}
    rows = [at[u] for u in evaluated]
    ranked = {"most_popular": rank(lambda r: np.tile(counts, (len(r), 1)), seen, rows),
              "item_knn": rank(item_model(item_knn(x), x), seen, rows)}
    lam, trials = tune_ease(train, users, index, ordered, seed, level + 1)
    ranked[f"ease(λ={lam})"] = rank(item_model(ease(x, lam), x), seen, rows)
    return ranked, trials


# ---- metrics and the report ----

DISCOUNT = 1 / np.log2(np.arange(K) + 2)


def metrics(ranked, relevant, cold):
    """ranked: per evaluated user, item indexes best first; relevant: sets of indexes. Binary relevance; IDCG over
    min(K, |relevant|) (Järvelin and Kekäläinen 2002)."""
    recall, ndcg, hit, cold_hits, shown = [], [], [], 0, set()
    for r, rel in zip(ranked, relevant):
        r = r[:K]
        hits = [i for i in r if i in rel]
        recall.append(len(hits) / len(rel))
        ndcg.append(sum(DISCOUNT[p] for p, i in enumerate(r) if i in rel) / DISCOUNT[:min(K, len(rel))].sum())
        hit.append(1.0 if hits else 0.0)
        cold_hits += sum(1 for i in hits if cold[i])
        shown.update(r)
    return {"recall": float(np.mean(recall)), "ndcg": float(np.mean(ndcg)), "hit": float(np.mean(hit)),
            "coverage": len(shown) / len(cold), "cold_hits": cold_hits, "users": len(ranked), "errors": 0}


def table_lines(table):
    lines = [f"| recommender | Recall@{K} | NDCG@{K} | HitRate@{K} | coverage | cold hits | users | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, m in table.items():
        lines.append(f"| {name} | {m['recall']:.4f} | {m['ndcg']:.4f} | {m['hit']:.4f} | {m['coverage']:.1%} "
                     f"| {m['cold_hits']} | {m['users']} | {m['errors']} |")
    return lines


def offline_lines(result):
    """The offline evaluation's table for the same split (the engine row must agree with the live feeds)."""
    if result is None:
        return []
    lines = ["", f"Offline evaluation of the same split (POST /v1/evaluations; {result['users']['evaluated']} users, "
                 f"weights {result['weights']}), beside the live rows above:", "",
             f"| offline row | Recall@{K} | NDCG@{K} | HitRate@{K} | coverage | cold hits |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["recommenders"]:
        lines.append(f"| {r['name']} | {r['recall']:.4f} | {r['ndcg']:.4f} | {r['hit_rate']:.4f} | "
                     f"{r['coverage']:.1%} | {r['cold_hits']} |")
    return lines + [""]


def ratio_line(table, a, b):
    r = lambda key: f"{table[a][key] / table[b][key]:.2f}" if table[b][key] else "n/a"
    return f"{a} / {b}: Recall@{K} {r('recall')}, NDCG@{K} {r('ndcg')}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--dataset", required=True, choices=sorted(LOADERS))
    ap.add_argument("--dataset-dir", required=True)
    ap.add_argument("--name", help="dataset name in the report (default: the directory's name)")
    ap.add_argument("--split", choices=("test", "validation"), default="test")
    ap.add_argument("--train", default="{}", help="body of POST /v1/jobs/train")
    ap.add_argument("--variant", action="append", default=[], help="NAME=QUERY; {collab} = the trained space")
    ap.add_argument("--users", type=int, help="use only N users (seeded sample), for a quick run")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", help="also write the report here")
    ap.add_argument("--note", default="", help="a line for the report's header (build, config)")
    ap.add_argument("--no-offline", action="store_true", help="skip the offline evaluation of the same split")
    a = ap.parse_args()
    extra = [v.split("=", 1) for v in a.variant]
    if any(len(v) != 2 or not v[0] for v in extra):
        fail(f"--variant must be NAME=QUERY, got {a.variant}")
    try:
        json.loads(a.train)
    except ValueError as e:
        fail(f"--train is not JSON: {e}")
    name = a.name or os.path.basename(os.path.normpath(a.dataset_dir))
    api = Api(a.url)
    timings = {}

    log(f"loading {a.dataset} from {a.dataset_dir}")
    data = LOADERS[a.dataset](a.dataset_dir)
    index = {item["id"]: i for i, item in enumerate(data.items)}
    unknown = sum(1 for h in data.histories.values() for e in h if e.item not in index)
    if unknown:
        fail(f"{unknown} events name items that are not in the catalog")
    train = data.histories
    if a.users:
        train = {u: train[u] for u in random.Random(a.seed).sample(sorted(train), min(a.users, len(train)))}
    level = 1 if a.split == "test" else 2
    for lv in range(1, level + 1):
        train, relevant, held_out = split(train, data.ordered, a.seed, lv)
    users, evaluated = sorted(train), sorted(relevant)
    log(f"{len(data.items)} items, {len(users)} users with train events, {len(evaluated)} evaluated ({a.split})")

    t0 = time.monotonic()
    r = import_items(api, data.items)
    log(f"imported: {r['created']} created, {r['updated']} updated, {r['unchanged']} unchanged; embedding")
    content = wait_embedded(api, len(data.items))
    timings["import+embed"] = time.monotonic() - t0

    t0 = time.monotonic()
    posted = post_events(api, train)
    timings["events"] = time.monotonic() - t0
    log(f"posted {posted} train events in {timings['events']:.1f} s; training")

    t0 = time.monotonic()
    result = train_collaborative(api, a.train)
    collab = result["space"]
    timings["train"] = time.monotonic() - t0
    log(f"trained '{collab}' in {timings['train']:.1f} s; asking feeds")

    variants = [("engine", ""), ("content", f"space={content}"), ("collaborative", f"space={collab}")]
    variants += [(n, q.replace("{collab}", collab)) for n, q in extra]
    t0 = time.monotonic()
    answers, errors = feeds(api, evaluated, variants)
    timings["feeds"] = time.monotonic() - t0
    if errors:
        log(f"{len(errors)} feed requests failed; the first ones:")
        for e in errors[:5]:
            log(f"  {e[0]} user {e[1]}: {e[2]} {e[3]}")

    log("references: most_popular, item_knn, EASE")
    t0 = time.monotonic()
    ranked, trials = references(train, users, evaluated, index, data.ordered, a.seed, level)
    timings["references"] = time.monotonic() - t0

    offline = None
    if not a.no_offline:
        log("offline evaluation: posting the held-out events after the train events, then POST /v1/evaluations")
        t0 = time.monotonic()
        post_events(api, {u: held_out[u] for u in users if u in held_out}, tag="h")
        offline = offline_evaluation(api)
        timings["offline evaluation"] = time.monotonic() - t0

    rel = [{index[i] for i in relevant[u]} for u in evaluated]
    cold = np.ones(len(index), dtype=bool)  # items with no train event at all
    cold[[index[e.item] for h in train.values() for e in h]] = False
    table = {}
    for vname, _ in variants:
        ranked_api = [[index[i] for i, _ in answers[vname][u] if i in index] for u in evaluated]
        table[vname] = metrics(ranked_api, rel, cold)
        table[vname]["errors"] = sum(1 for e in errors if e[0] == vname)
    for rname, lists in ranked.items():
        table[rname] = metrics(lists, rel, cold)
    slots = [reason for u in evaluated for _, reason in answers["engine"][u]]
    new_item = slots.count("new_item_similar_to")

    lines = [f"Quality on {name}, split {a.split} (seed {a.seed}), {time.strftime('%Y-%m-%d %H:%M')}: "
             f"{len(data.items)} items, {len(users)} users posted {posted} train events, "
             f"{len(evaluated)} users evaluated, {int(cold.sum())} items cold. {a.note}".rstrip(),
             f"Collaborative space `{collab}`: train body `{a.train}`; training "
             + json.dumps({k: result.get(k) for k in ("factors", "regularization", "alpha", "iterations")}),
             "", *table_lines(table), "",
             ratio_line(table, "engine", "item_knn"),
             ratio_line(table, "engine", list(ranked)[-1]),
             f"engine slots with reason new_item_similar_to: {new_item}/{len(slots)} "
             f"({new_item / max(1, len(slots)):.1%})",
             f"EASE λ by validation Recall@{K} (carved from the train part): "
             + ", ".join(f"{lam}: {v:.4f}" for lam, v in trials.items()),
             *offline_lines(offline),
             "Wall clock: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()),
             "",
             "Metrics are means over the evaluated users (a failed request counts as an empty list); relevant = "
             "held-out positives not in the user's train items; every recommender leaves out the user's train "
             "items; cold hits = hits on items with no train event at all."]
    report = "\n".join(lines)
    print(report)
    if a.out:
        os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(report + "\n")
    if errors:
        fail(f"{len(errors)} feed requests failed (see above)")


if __name__ == "__main__":
    main()

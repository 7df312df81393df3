#!/usr/bin/env python3
"""Datasets for bench/import/run.sh (standard library only).

    datasets.py synthetic --rows N [--seed S] --ndjson OUT --copy OUT
        a deterministic catalog of N items with realistic sizes: titles of 2–6 words, descriptions of 200–800
        characters, 1–4 categories, 3–6 attributes; ids are shuffled, as in a real export
    datasets.py copy IN.ndjson OUT.tsv
        the rows of an NDJSON import in COPY text format, normalised the way the API stores them

COPY files have the columns (external_id, title, description, categories, attributes) of the `items` table.
"""

import argparse
import json
import random
import sys

DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def pg_text_array(values):
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def copy_line(item):
    """One row as the API stores it (see ItemRequest.normalised): title stripped, categories stripped and distinct."""
    cats = list(dict.fromkeys(c.strip() for c in item.get("categories") or []))
    fields = (item["id"], item["title"].strip(), item.get("description") or "", pg_text_array(cats),
              DUMPS(item.get("attributes") or {}))
    return "\t".join(f.translate(_COPY_ESCAPES) for f in fields) + "\n"


def words(rng, n):
    syllables = ["ka", "lo", "mi", "ter", "ran", "vo", "shi", "del", "pa", "nor", "qui", "ze", "bal", "tor", "fen",
                 "gri", "ux", "mon", "sta", "ple", "ar", "io", "ven", "cor", "dra", "lu", "ist", "ob", "pex", "wa"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(out)


def synthetic(args):
    rng = random.Random(args.seed)
    vocab = words(rng, 8000)
    common = rng.sample(vocab, 400)            # a small set of frequent words, as in real text
    categories = sorted({"/".join(rng.sample(vocab, rng.randint(1, 2))) for _ in range(600)})
    brands = [w.capitalize() for w in rng.sample(vocab, 500)]
    colours = ["black", "white", "red", "green", "blue", "grey", "silver", "brown", "yellow", "orange"]
    materials = ["steel", "aluminium", "wood", "cotton", "leather", "plastic", "glass", "ceramic", "wool"]
    attr_makers = [
        ("brand", lambda: rng.choice(brands)),
        ("price", lambda: round(rng.uniform(1, 2000), 2)),
        ("rating", lambda: round(rng.uniform(1, 5), 1)),
        ("in_stock", lambda: rng.random() < 0.8),
        ("colour", lambda: rng.choice(colours)),
        ("year", lambda: rng.randint(1990, 2025)),
        ("weight_g", lambda: rng.randint(10, 50_000)),
        ("material", lambda: rng.choice(materials)),
    ]
    ids = list(range(1, args.rows + 1))
    rng.shuffle(ids)
    with open(args.ndjson, "w", encoding="utf-8") as nd, open(args.copy, "w", encoding="utf-8") as cp:
        for k in ids:
            target = rng.randint(200, 800)
            pool = rng.choices(common, k=80) + rng.choices(vocab, k=80)
            rng.shuffle(pool)
            text, n = [], 0
            for w in pool:
                if n + len(w) + 1 > target:
                    break
                text.append(w)
                n += len(w) + 1
            description = " ".join(text).capitalize() + "."
            item = {
                "id": "sku-%08d" % k,
                "title": " ".join(w.capitalize() for w in rng.sample(vocab, rng.randint(2, 6))),
                "description": description,
                "categories": rng.sample(categories, rng.randint(1, 4)),
                "attributes": {name: make() for name, make in rng.sample(attr_makers, rng.randint(3, 6))},
            }
            nd.write(DUMPS(item) + "\n")
            cp.write(copy_line(item))


def copy(args):
    with open(args.src, encoding="utf-8") as src, open(args.out, "w", encoding="utf-8") as out:
        for line in src:
            if line.strip():
                out.write(copy_line(json.loads(line)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synthetic")
    s.add_argument("--rows", type=int, required=True)
    s.add_argument("--seed", type=int, default=20240603)
    s.add_argument("--ndjson", required=True)
    s.add_argument("--copy", required=True)
    c = sub.add_parser("copy")
    c.add_argument("src")
    c.add_argument("out")
    args = p.parse_args()
    {"synthetic": synthetic, "copy": copy}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

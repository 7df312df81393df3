#!/usr/bin/env python3
"""Build the embedrec demo catalog (NDJSON) from Debian's package descriptions.

Standard library only. Normally run through scripts/make-demo-catalog.sh, which
downloads the Packages and Translation-en indexes into a private apt lists
directory and then calls:

    demo_catalog.py build --lists-dir DIR --out FILE [--limit N]

One JSON object per line, sorted by id:

    {"id": "gimp",
     "title": "gimp — GNU Image Manipulation Program",
     "description": "GIMP is an advanced picture editor. ...",
     "categories": ["graphics", "field:arts", "use:editing", ...],
     "attributes": {"section": "graphics", "priority": "optional", ...}}

Other sub-commands used by the shell wrapper:

    demo_catalog.py apt-source [--suite S]   print a one-line apt source entry
                                             for the Debian main archive taken
                                             from the system's apt sources
"""

import argparse
import bz2
import collections
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile

# --------------------------------------------------------------------------
# Selection policy: keep the catalog varied. Debian has tens of thousands of
# near-template library packages (Rust crates, Go modules, Node modules, R,
# Haskell, Perl, ...). They make "more like this" degenerate, so each section
# and each name family gets a cap.

DEFAULT_SECTION_CAP = 750
SECTION_CAPS = {
    "libs": 400,
    "libdevel": 250,
    "oldlibs": 20,
    "doc": 200,
    "perl": 300,
    "python": 600,
    "haskell": 120,
    "rust": 150,
    "golang": 180,
    "javascript": 180,
    "java": 220,
    "ruby": 160,
    "gnu-r": 200,
    "php": 120,
    "ocaml": 100,
    "lisp": 150,
    "cli-mono": 60,
    "introspection": 40,
    "localization": 60,
    "metapackages": 120,
    "fonts": 200,
    "kernel": 150,
    "debug": 0,
}

# (regex on the package name, family key, cap). First match wins.
FAMILY_RULES = [
    (r"^librust-", "librust", 120),
    (r"^golang-", "golang", 150),
    (r"^node-", "node", 150),
    (r"^r-cran-", "r-cran", 150),
    (r"^r-bioc-", "r-bioc", 80),
    (r"^r-other-", "r-other", 30),
    (r"^libghc-|^haskell-", "haskell", 100),
    (r"^lib.*-perl$", "perl-lib", 220),
    (r"^lib.*-java$", "java-lib", 120),
    (r"^lib.*-ocaml(-dev)?$", "ocaml-lib", 60),
    (r"^cl-", "common-lisp", 80),
    (r"^elpa-", "elpa", 80),
    (r"^python3-", "python3", 650),
    (r"^ruby-", "ruby", 140),
    (r"^php-", "php", 100),
    (r"^texlive-", "texlive", 15),
    (r"^fonts-", "fonts", 150),
    (r"^firmware-", "firmware", 25),
    (r"^linux-", "linux", 25),
    (r"-l10n-|-i18n-|^language-pack|-locale-|-langpack-", "l10n", 15),
    (r"^(hunspell|aspell|myspell|hyphen|mythes|ispell|wamerican|wbritish|w[a-z]+ish)-?", "dictionaries", 20),
    (r"^task-", "task", 30),
    (r"^gir1\.2-", "gir", 40),
    (r"^lib.*-dev$", "lib-dev", 250),
    (r"^lib", "lib", 450),
    (r"-doc$|-docs$|-manual$", "doc", 120),
    (r"-data$|-common$", "data", 150),
]
FAMILY_RULES = [(re.compile(p), k, c) for p, k, c in FAMILY_RULES]

MAX_PER_SOURCE = 2          # binaries kept from one source package
MAX_PER_TEMPLATE = 4        # items sharing one long-description template
MAX_CATEGORIES = 8
MAX_CATEGORY_LEN = 64

# Debtags facets worth keeping as categories, in order, with a per-facet cap.
TAG_FACETS = [
    ("field", 2),
    ("game", 2),
    ("use", 2),
    ("works-with", 2),
    ("network", 1),
    ("web", 1),
    ("sound", 1),
    ("mail", 1),
    ("devel", 1),
    ("admin", 1),
    ("science", 1),
    ("biology", 1),
    ("hardware", 1),
    ("interface", 1),
    ("implemented-in", 1),
]
TAG_FACET_ORDER = {f: i for i, (f, _) in enumerate(TAG_FACETS)}
TAG_FACET_CAP = dict(TAG_FACETS)

SKIP_NAME = re.compile(r"(-dbgsym|-dbg)$")
SKIP_SHORT = re.compile(r"\btransitional\b|\bdummy (transitional )?package\b|"
                        r"\btransitional (dummy )?package\b", re.I)


# --------------------------------------------------------------------------
# Reading apt's index files

def read_index(path):
    """Return the text of an index file that apt stored, compressed or not."""
    helper = shutil.which("apt-helper") or "/usr/lib/apt/apt-helper"
    if path.endswith(".lz4") or path.endswith(".zst"):
        if not os.path.exists(helper):
            raise SystemExit("need apt-helper to decompress " + path)
        data = subprocess.run([helper, "cat-file", path], check=True,
                              stdout=subprocess.PIPE).stdout
    elif path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            data = f.read()
    elif path.endswith(".xz") or path.endswith(".lzma"):
        with lzma.open(path, "rb") as f:
            data = f.read()
    elif path.endswith(".bz2"):
        with bz2.open(path, "rb") as f:
            data = f.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8", errors="replace")


_FIELD = re.compile(r"^([^\s:][^:\n]*):[ \t]*(.*(?:\n[ \t].*)*)", re.M)


def stanzas(text):
    """Parse deb822 text; yield dicts field -> value (continuation lines
    kept, with their leading whitespace, after a newline)."""
    for block in re.split(r"\n[ \t]*\n", text):
        st = {k.strip(): v.rstrip() for k, v in _FIELD.findall(block)}
        if st:
            yield st


def find_indexes(lists_dir):
    pkgs, trans = [], []
    for name in sorted(os.listdir(lists_dir)):
        full = os.path.join(lists_dir, name)
        if not os.path.isfile(full):
            continue
        base = re.sub(r"\.(lz4|gz|xz|bz2|lzma|zst)$", "", name)
        if base.endswith("_Packages"):
            pkgs.append(full)
        elif base.endswith("_Translation-en"):
            trans.append(full)
    return pkgs, trans


# --------------------------------------------------------------------------
# Debian version comparison (dpkg semantics), to keep the newest duplicate

def _order(c):
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _cmp_part(a, b):
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _split_version(v):
    epoch, _, rest = v.rpartition(":") if ":" in v else ("0", "", v)
    if "-" in rest:
        upstream, _, rev = rest.rpartition("-")
    else:
        upstream, rev = rest, ""
    try:
        epoch = int(epoch or 0)
    except ValueError:
        epoch = 0
    return epoch, upstream, rev


def version_cmp(a, b):
    ea, ua, ra = _split_version(a)
    eb, ub, rb = _split_version(b)
    if ea != eb:
        return ea - eb
    c = _cmp_part(ua, ub)
    if c:
        return c
    return _cmp_part(ra, rb)


# --------------------------------------------------------------------------
# Text helpers

def long_description(raw_lines):
    """Turn Debian's long description lines into plain text.

    Each line starts with one space that is dropped; ' .' lines separate
    paragraphs, which become blank lines. Wrapped lines of a paragraph are
    joined with a space; indented lines (lists, verbatim blocks) start a new
    line, and the indented continuation of a list item is joined to it.
    """
    paras, cur = [], []
    for line in raw_lines:
        if line[:1] in (" ", "\t"):
            line = line[1:]
        if line.strip() == ".":
            if cur:
                paras.append(cur)
            cur = []
            continue
        if line.strip():
            cur.append(line.rstrip())
    if cur:
        paras.append(cur)

    out = []
    for para in paras:
        rows = []  # [text, kind, indented], kind is "text", "item" or "verb"
        for line in para:
            content = line.strip()
            indented = line[:1] in (" ", "\t")
            if _BULLET.match(content):
                rows.append([content, "item", indented])
            elif rows and rows[-1][1] == "item" and (indented or not rows[-1][2]):
                # continuation of a list item (indented, or the whole list
                # is written flush left)
                rows[-1][0] += " " + content
            elif not indented:
                if rows and rows[-1][1] == "text":
                    rows[-1][0] += " " + content
                else:
                    rows.append([content, "text", False])
            else:
                rows.append([content, "verb", True])
        text = "\n".join(r[0] if r[1] == "verb" else _SPACES.sub(" ", r[0])
                         for r in rows).strip()
        if text:
            out.append(text)
    return "\n\n".join(out)


_SPACES = re.compile(r"[ \t]{2,}")
_BULLET = re.compile(r"^([*+\-o\u2022]\s|\d{1,2}[.)]\s|\[\w+\]\s)")


_WORD = re.compile(r"[a-z]+")
_DIGITS = str.maketrans("0123456789", "##########")


def template_key(name, source, text):
    """Description skeleton: the text with the package's own name parts and
    all numbers blanked out, so that template descriptions collide."""
    own = set(_WORD.findall(name.lower())) | set(_WORD.findall(source.lower()))
    words = _WORD.findall(text.lower().translate(_DIGITS).replace("#", " x "))
    skel = " ".join("#" if w in own else w for w in words)
    return hashlib.sha1(skel.encode()).hexdigest()


def tag_categories(tag_field):
    tags = [t.strip() for t in re.split(r"[,\s]+", tag_field or "") if t.strip()]
    picked = []
    per_facet = collections.Counter()
    for t in tags:
        facet, sep, value = t.partition("::")
        if not sep or facet not in TAG_FACET_ORDER:
            continue
        if not value or "TODO" in value:
            continue
        if per_facet[facet] >= TAG_FACET_CAP[facet]:
            continue
        per_facet[facet] += 1
        picked.append((TAG_FACET_ORDER[facet], len(picked), facet + ":" + value))
    picked.sort()
    return [c for _, _, c in picked]


def to_int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------
# Build

def load(lists_dir):
    pkg_files, tr_files = find_indexes(lists_dir)
    if not pkg_files:
        raise SystemExit("no Packages index found in " + lists_dir)
    if not tr_files:
        raise SystemExit("no Translation-en index found in " + lists_dir)

    by_name_md5, by_md5 = {}, {}
    for path in tr_files:
        for st in stanzas(read_index(path)):
            md5 = st.get("Description-md5")
            desc = st.get("Description-en")
            if not md5 or desc is None:
                continue
            by_name_md5[(st.get("Package", ""), md5)] = desc
            by_md5.setdefault(md5, desc)

    packages = {}
    for path in pkg_files:
        for st in stanzas(read_index(path)):
            name = st.get("Package")
            if not name:
                continue
            old = packages.get(name)
            if old is not None and version_cmp(st.get("Version", "0"), old.get("Version", "0")) <= 0:
                continue
            packages[name] = st
    return packages, by_name_md5, by_md5


def make_item(st, by_name_md5, by_md5):
    name = st["Package"]
    if SKIP_NAME.search(name):
        return None
    md5 = st.get("Description-md5", "")
    raw = st.get("Description-en")
    if raw is None:
        raw = by_name_md5.get((name, md5)) or by_md5.get(md5)
    if raw is None:
        raw = st.get("Description", "")
    lines = raw.split("\n")
    short = lines[0].strip()
    desc = long_description(lines[1:])
    if not short or len(desc) < 40:
        return None
    if SKIP_SHORT.search(short) or re.search(r"\btransitional (dummy )?package\b", desc[:200], re.I):
        return None

    section_full = st.get("Section", "misc")
    section = section_full.split("/")[-1]
    if SECTION_CAPS.get(section, 1) == 0:
        return None

    cats = [section]
    for c in tag_categories(st.get("Tag", "")):
        if len(cats) >= MAX_CATEGORIES:
            break
        c = c[:MAX_CATEGORY_LEN]
        if c not in cats:
            cats.append(c)

    attrs = {
        "section": section,
        "priority": st.get("Priority", "optional"),
    }
    isz = to_int(st.get("Installed-Size"))
    if isz is not None:
        attrs["installed_size_kb"] = isz
    sz = to_int(st.get("Size"))
    if sz is not None:
        attrs["size_bytes"] = sz
    attrs["version"] = st.get("Version", "")
    attrs["architecture"] = st.get("Architecture", "")
    source = st.get("Source", name).split(" ")[0]
    attrs["source"] = source
    if st.get("Maintainer"):
        attrs["maintainer"] = st["Maintainer"]
    if st.get("Homepage"):
        attrs["homepage"] = st["Homepage"]
    attrs["essential"] = st.get("Essential", "no").strip().lower() == "yes"
    attrs["has_debtags"] = bool(st.get("Tag"))

    return {
        "id": name,
        "title": name + " — " + short,
        "description": desc,
        "categories": cats,
        "attributes": attrs,
    }


def family_of(name):
    for rx, key, cap in FAMILY_RULES:
        if rx.search(name):
            return key, cap
    return None, None


def source_rank(item):
    """Lower is better: which binaries of one source package to keep."""
    name = item["id"]
    src = item["attributes"]["source"]
    if name == src:
        return 0
    if re.search(r"-(dev|doc|docs|data|common|dbg|examples|l10n.*)$", name):
        return 3
    if name.startswith("lib") or name.startswith("gir1.2-"):
        return 2
    return 1


def quality(item):
    """Higher is better: which items to keep when a cap bites."""
    a = item["attributes"]
    score = 0.0
    if a.get("has_debtags"):
        score += 2.0
    if a.get("priority") in ("required", "important", "standard"):
        score += 1.0
    if a.get("homepage"):
        score += 0.25
    score += min(len(item["description"]), 800) / 800.0
    # deterministic pseudo-random tie-breaker, keeps variety within a family
    h = int(hashlib.md5(item["id"].encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return score + 0.2 * h


def select(items, limit=None):
    # best first, deterministic
    items = sorted(items, key=lambda it: (-quality(it), it["id"]))

    # 1. at most MAX_PER_SOURCE binaries per source package
    by_source = collections.defaultdict(list)
    for it in items:
        by_source[it["attributes"]["source"]].append(it)
    keep = set()
    for src, group in by_source.items():
        group.sort(key=lambda it: (source_rank(it), -quality(it), it["id"]))
        for it in group[:MAX_PER_SOURCE]:
            keep.add(it["id"])
    items = [it for it in items if it["id"] in keep]

    # 2. template, family and section caps, best items first
    tmpl = collections.Counter()
    fam = collections.Counter()
    sec = collections.Counter()
    out = []
    for it in items:
        a = it["attributes"]
        tk = template_key(it["id"], a["source"], it["description"])
        if tmpl[tk] >= MAX_PER_TEMPLATE:
            continue
        fk, fcap = family_of(it["id"])
        if fk is not None and fam[fk] >= fcap:
            continue
        s = a["section"]
        if sec[s] >= SECTION_CAPS.get(s, DEFAULT_SECTION_CAP):
            continue
        tmpl[tk] += 1
        if fk is not None:
            fam[fk] += 1
        sec[s] += 1
        out.append(it)
    if limit is not None and len(out) > limit:
        out = stratified(out, limit)
    out.sort(key=lambda it: it["id"])
    return out


def stratified(items, limit):
    """The best `limit` items, spread over sections in proportion to the full
    selection (largest remainder), so a small catalog keeps its variety.
    `items` is ordered best first."""
    by_sec = collections.defaultdict(list)
    for it in items:
        by_sec[it["attributes"]["section"]].append(it)
    total = len(items)
    quota = {s: len(v) * limit // total for s, v in by_sec.items()}
    rest = limit - sum(quota.values())
    order = sorted(by_sec, key=lambda s: (-(len(by_sec[s]) * limit % total), s))
    for s in order[:rest]:
        quota[s] += 1
    out = []
    for s, v in by_sec.items():
        out.extend(v[:quota[s]])
    return out


def cmd_build(args):
    packages, by_name_md5, by_md5 = load(args.lists_dir)
    items = []
    for name in sorted(packages):
        it = make_item(packages[name], by_name_md5, by_md5)
        if it is not None:
            items.append(it)
    chosen = select(items, args.limit)
    for it in chosen:
        it["attributes"].pop("has_debtags", None)

    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".ndjson",
                               dir=os.path.dirname(out))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for it in chosen:
                f.write(json.dumps(it, ensure_ascii=False, separators=(",", ":")))
                f.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

    per_section = collections.Counter(it["attributes"]["section"] for it in chosen)
    top = ", ".join("%s %d" % (s, n) for s, n in
                    sorted(per_section.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
    print("wrote %d items to %s (of %d packages, %d with a description); top sections: %s"
          % (len(chosen), args.out, len(packages), len(items), top))
    if len(chosen) < args.min_items and args.limit is None:
        print("error: fewer than %d items" % args.min_items, file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------
# apt source line for the Debian main archive, taken from the system config

DEFAULT_URI = "http://deb.debian.org/debian"
DEFAULT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def _system_debian_source(suite):
    """(uri, signed_by) of the system's Debian archive entry for suite/main."""
    cands = []
    parts = "/etc/apt/sources.list.d"
    files = []
    if os.path.isdir(parts):
        files = [os.path.join(parts, f) for f in sorted(os.listdir(parts))]
    files.append("/etc/apt/sources.list")
    for path in files:
        if not os.path.isfile(path):
            continue
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        if path.endswith(".sources"):
            for st in stanzas("\n".join(l for l in text.split("\n")
                                        if not l.lstrip().startswith("#"))):
                if st.get("Enabled", "yes").strip().lower() == "no":
                    continue
                if "deb" not in st.get("Types", "").split():
                    continue
                suites = st.get("Suites", "").split()
                comps = st.get("Components", "").split()
                if suite not in suites or "main" not in comps:
                    continue
                for uri in st.get("URIs", "").split():
                    cands.append((uri, st.get("Signed-By", "").strip()))
        elif path.endswith(".list"):
            for line in text.split("\n"):
                line = line.split("#", 1)[0].strip()
                m = re.match(r"^deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)$", line)
                if not m:
                    continue
                opts, uri, s, comps = m.group(1) or "", m.group(2), m.group(3), m.group(4).split()
                if s != suite or "main" not in comps:
                    continue
                sb = re.search(r"signed-by=(\S+?)\s*[\]\s]", opts + " ]")
                cands.append((uri, sb.group(1) if sb else ""))
    # prefer a Debian archive URI (not security, not a third party)
    for uri, sb in cands:
        if "debian" in uri and "security" not in uri:
            return uri, sb
    return (cands[0] if cands else (DEFAULT_URI, ""))


def cmd_apt_source(args):
    uri, signed_by = _system_debian_source(args.suite)
    if not signed_by or "\n" in signed_by or not os.path.exists(signed_by):
        signed_by = DEFAULT_KEYRING
    opts = ["signed-by=" + signed_by, "target=Packages,Translations"]
    if args.arch:
        opts.append("arch=" + args.arch)
    print("deb [%s] %s %s main" % (" ".join(opts), uri.rstrip("/"), args.suite))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="write the catalog")
    b.add_argument("--lists-dir", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--limit", type=int, default=None)
    b.add_argument("--min-items", type=int, default=5000)
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("apt-source", help="print the apt source line")
    s.add_argument("--suite", default="bookworm")
    s.add_argument("--arch", default="")
    s.set_defaults(func=cmd_apt_source)

    args = ap.parse_args(argv)
    if getattr(args, "limit", None) is not None and args.limit < 1:
        ap.error("--limit must be >= 1")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Builds models/word_pairs.tsv: how often two Vietnamese syllables follow each other in running
Vietnamese text that Debian ships, the evidence sohoa's doubt rule needs to see that a subject line's
"không dùng tiên mặt" is unusual where "tiền mặt" is common.

Source: the Vietnamese text of three Debian 12 packages (downloaded with `apt-get download`, never
installed; their text is only counted, none of it is kept):
  libreoffice-help-vi  LibreOffice's help in Vietnamese (MPL-2.0), ~0.9 M words
  manpages-vi          manual pages translated to Vietnamese
  maint-guide-vi       the Debian New Maintainers' Guide in Vietnamese
Only pairs inside one run of words (no punctuation, digit or line end between them) whose two
words are both syllables of Debian's hunspell-vi are counted; a pair seen fewer than --min times is
dropped, and so is a pair of two unmarked words, which may be English ("a can").

Usage (as root or with apt access; writes models/word_pairs.tsv):
  python3 models/build_word_pairs.py [--out models] [--min 2]
Output: '#' comment lines, then "first second<TAB>count", sorted, UTF-8 NFC, lower case.
"""
import argparse
import collections
import glob
import gzip
import html
import os
import re
import subprocess
import tempfile
import unicodedata

PACKAGES = ["libreoffice-help-vi", "manpages-vi", "maint-guide-vi"]


def syllables(dic="/usr/share/hunspell/vi_VN.dic"):
    out = set()
    with open(dic, encoding="utf-8") as f:
        next(f)
        for line in f:
            w = unicodedata.normalize("NFC", line.split("/")[0].strip()).lower()
            if w:
                out.add(w)
    return out


def texts(root):
    for path in glob.glob(os.path.join(root, "**", "*"), recursive=True):
        if not os.path.isfile(path):
            continue
        data = None
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read()
        elif path.endswith((".html", ".htm", ".xhtml", ".txt")):
            with open(path, "rb") as f:
                data = f.read()
        if data is None:
            continue
        s = data.decode("utf-8", errors="ignore")
        if path.endswith((".html", ".htm", ".xhtml")) or "<html" in s[:2000].lower():
            s = re.sub(r"<(script|style)\b.*?</\1>", " ", s, flags=re.S | re.I)
            s = re.sub(r"<[^>]+>", "\n", s)
            s = html.unescape(s)
        else:  # roff: drop requests and font escapes
            s = re.sub(r"^\.[A-Za-z]+.*$", "\n", s, flags=re.M)
            s = re.sub(r"\\f[BIRP]|\\\(..|\\.", " ", s)
        yield unicodedata.normalize("NFC", s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--min", type=int, default=2)
    args = ap.parse_args()
    valid = syllables()
    counts = collections.Counter()
    words_seen = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=tmp, check=True, capture_output=True)
        versions = []
        for deb in sorted(glob.glob(os.path.join(tmp, "*.deb"))):
            versions.append(os.path.basename(deb))
            subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
        for s in texts(os.path.join(tmp, "x")):
            # A run is letters separated by single spaces; anything else ends it.
            for run in re.split(r"[^\w ]+|\d+|_|  +|\n", s):
                ws = run.lower().split()
                words_seen += len(ws)
                for a, b in zip(ws, ws[1:]):
                    # Two unmarked words may be English ("a can") in a help text.
                    if a in valid and b in valid and not (a.isascii() and b.isascii()):
                        counts[(a, b)] += 1
    kept = sorted((k, n) for k, n in counts.items() if n >= args.min)
    path = os.path.join(args.out, "word_pairs.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Adjacent Vietnamese syllables and their counts, made by models/build_word_pairs.py\n")
        f.write(f"# from {', '.join(versions)} ({words_seen} words); pairs seen >= {args.min} times\n")
        for (a, b), n in kept:
            f.write(f"{a} {b}\t{n}\n")
    print(f"{path}: {len(kept)} pairs from {words_seen} words")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Score a sohoa output folder against generator ground truth.

    /usr/bin/python3 tests/tools/evaluate.py OUT --truth TRUTH.json [--by-type] [--errors]

Records are matched to truth documents by (source.path, source.member, pages). Prints class
accuracy, doc_type accuracy, the single_use/reusable confusion, per-field exact-match accuracy
(where the truth has the field), and the same accuracy for the rules alone and the model alone as
recorded in each record's classification evidence.
"""
import argparse
import collections
import glob
import json
import os
import re
import sys
import unicodedata

KEYS = ["so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "ho_ten", "so_dinh_danh", "ngay_sinh", "trich_yeu"]
SINGLE = {"to_khai", "don", "phieu", "bien_nhan"}


def cls_of(t):
    return "single_use" if t in SINGLE else "reusable"


def nfc(s):
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


def loose(s):
    return re.sub(r"\s+", " ", nfc(s)).strip().lower() if isinstance(s, str) else s


def from_evidence(ev, kind):
    """rules alone: the highest 'rule: TYPE SCORE'; model alone: 'model: TYPE p=…'."""
    if kind == "model":
        for e in ev:
            m = re.match(r"model: (\S+) p=", e)
            if m:
                return m.group(1)
        return None
    best, bs = "khac", -1
    for e in ev:
        m = re.match(r"rule: (\S+) ([0-9.]+)", e)
        if m and float(m.group(2)) > bs:
            best, bs = m.group(1), float(m.group(2))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--truth", required=True)
    ap.add_argument("--by-type", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list every mismatch")
    ap.add_argument("--reeval", action="store_true", help="score reeval.json (text-only re-run) instead")
    a = ap.parse_args()

    truth = json.load(open(a.truth, encoding="utf-8"))
    tdocs = {}
    for inp in truth["inputs"]:
        for d in inp.get("documents", []):
            f, l = d["pages"]
            tdocs[(inp["path"], inp.get("member"), f, l)] = d
    recs = {}
    for rj in glob.glob(os.path.join(a.out, "records", "*", "record.json")):
        r = json.load(open(rj, encoding="utf-8"))
        s = r["source"]
        if a.reeval:
            rp = os.path.join(os.path.dirname(rj), "reeval.json")
            if not os.path.exists(rp):
                continue
            r.update(json.load(open(rp, encoding="utf-8")))
        recs[(s["path"], s.get("member"), s["pages"][0], s["pages"][1])] = (r, os.path.dirname(rj))

    n = len(tdocs)
    matched = [(k, d, recs[k][0], recs[k][1]) for k, d in tdocs.items() if k in recs]
    print(f"truth documents {n}, records {len(recs)}, matched {len(matched)} "
          f"(unmatched truth documents count as wrong below)")
    if not n:
        return 1
    conf = collections.Counter()
    ok_cls = ok_type = 0
    alt = {"rules": 0, "model": 0}
    alt_cls = {"rules": 0, "model": 0}
    by_type = collections.defaultdict(lambda: [0, 0])
    field = {k: [0, 0, 0] for k in KEYS}  # exact, loose, total
    errors = []
    reviewed = 0
    for k, d, r, folder in matched:
        tt, rt = d["doc_type"], r.get("doc_type")
        conf[(d["class"], r.get("class"))] += 1
        ok_cls += d["class"] == r.get("class")
        ok_type += tt == rt
        by_type[tt][1] += 1
        by_type[tt][0] += tt == rt
        c = r.get("classification") or {}
        reviewed += bool(c.get("review"))
        ev = c.get("evidence") or []
        for kind in ("rules", "model"):
            p = from_evidence(ev, kind)
            alt[kind] += p == tt
            alt_cls[kind] += p is not None and cls_of(p) == d["class"]
        if tt != rt:
            errors.append(f"doc_type {k}: truth {tt}, got {rt} ({c.get('confidence')}; {'; '.join(ev[:3])})")
        meta = r.get("metadata") or {}
        for key in KEYS:
            tv = (d.get("metadata") or {}).get(key)
            if tv is None:
                continue
            field[key][2] += 1
            gv = meta.get(key)
            field[key][0] += nfc(gv) == nfc(tv)
            field[key][1] += loose(gv) == loose(tv)
            if nfc(gv) != nfc(tv):
                errors.append(f"{key} {k[0]} {tt}: truth {tv!r}, got {gv!r}")
    print(f"class accuracy      {ok_cls}/{n} = {ok_cls / n:.3f}")
    print(f"doc_type accuracy   {ok_type}/{n} = {ok_type / n:.3f}")
    for kind in ("rules", "model"):
        print(f"  {kind:5s} alone:     doc_type {alt[kind] / n:.3f}, class {alt_cls[kind] / n:.3f}")
    print(f"flagged for review  {reviewed}/{len(matched)}")
    print("class confusion (rows truth, columns sohoa):")
    print(f"  {'':12s} {'single_use':>11s} {'reusable':>9s}")
    for t in ("single_use", "reusable"):
        print(f"  {t:12s} {conf[(t, 'single_use')]:11d} {conf[(t, 'reusable')]:9d}")
    print("metadata exact match (where the truth has the field; 'loose' ignores case and spacing):")
    for key in KEYS:
        e, lo, tot = field[key]
        if tot:
            print(f"  {key:17s} {e:4d}/{tot:<4d} = {e / tot:.3f}   loose {lo / tot:.3f}")
    if a.by_type:
        print("doc_type accuracy by type:")
        for t, (o, tot) in sorted(by_type.items()):
            print(f"  {t:34s} {o:3d}/{tot:<3d}")
    if a.errors:
        for e in errors:
            print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())

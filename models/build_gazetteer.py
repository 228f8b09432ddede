#!/usr/bin/env python3
"""Builds models/gazetteer.tsv (Vietnam's administrative units, 2019 to today) and
models/names.tsv (surnames and given-name syllables) from public repositories.

Inputs are git directories brought by the project's `fetch` tool (no work tree needed):
  --dvhcvn   daohoangson/dvhcvn: data/dvhcvn.json at every commit that changed it, each one the
             General Statistics Office's list on the date in data/date.txt (2019-09-11 .. 2025-03-01).
  --merger   dvhcvn/20250701: mapping/merges.json (the 34 provinces and 3,321 communes in force
             from 2025-07-01, and which old units each was made of) and mapping/splits.json.
  --names    duyet/vietnamese-namedb: uit_member.json (full names, MIT licence).
  --hunspell /usr/share/hunspell/vi_VN.dic (Debian's hunspell-vi), to keep only real syllables.

Usage:
  python3 models/build_gazetteer.py --dvhcvn D/repo --merger M/repo --names N/repo [--out models]

Output (UTF-8, NFC, tab-separated, '#' comment lines first):
  gazetteer.tsv  era level code parent type name from until successors
    era        o = the units of 2019-2025 (63 provinces, districts, communes); n = from 2025-07-01
    level      1 province, 2 district (old era only), 3 commune (ward, township, special zone)
    code       GSO code (2 digits province, 3 district, 5 commune); codes are per era
    parent     code of the unit above (same era); empty for provinces
    from/until ISO dates the unit existed between, as far as the snapshots tell ('' = before the
               first snapshot / still in force); until is the first snapshot it was missing from
    successors new-era codes an old unit went into (communes and provinces, from the merger data)
  names.tsv      kind value count   (kind: surname | given; count: occurrences in the source)
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import unicodedata

MERGER_DATE = "2025-07-01"


def nfc(s):
    return unicodedata.normalize("NFC", s.strip())


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True).stdout


def iso(ddmmyyyy):
    d, m, y = ddmmyyyy.strip().split("/")
    return f"{y}-{m}-{d}"


def snapshots(gitdir):
    """(iso date, commit, parsed data) for every commit that changed data/dvhcvn.json and says its
    date; a later commit for the same date replaces the earlier one."""
    commits = git(gitdir, "log", "--format=%H", "--", "data/dvhcvn.json").decode().split()
    by_date = {}
    for c in reversed(commits):  # oldest first, so a re-issue of a date wins
        try:
            date = iso(git(gitdir, "show", f"{c}:data/date.txt").decode())
        except (subprocess.CalledProcessError, ValueError):
            continue
        by_date[date] = c
    out = []
    for date in sorted(by_date):
        data = json.loads(git(gitdir, "show", f"{by_date[date]}:data/dvhcvn.json"))["data"]
        out.append((date, by_date[date], data))
    return out


def unit_type(name, given):
    given = nfc(given or "")
    if given:
        return given[0].upper() + given[1:].lower()
    for t in ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Phường", "Xã"):
        if name.startswith(t + " "):
            return t
    return ""


def old_units(snaps):
    """Every unit seen in any snapshot, keyed by (level, code, name, type, parent): a renamed or
    re-typed unit (Huyện -> Thị xã) keeps both rows, each with its own dates."""
    seen = collections.OrderedDict()
    dates = [d for d, _, _ in snaps]
    for i, (date, _, data) in enumerate(snaps):
        for p in data:
            pk = (1, p["level1_id"], nfc(p["name"]), unit_type(p["name"], p.get("type")), "")
            seen.setdefault(pk, set()).add(i)
            for d in p.get("level2s", []):
                dk = (2, d["level2_id"], nfc(d["name"]), unit_type(d["name"], d.get("type")), p["level1_id"])
                seen.setdefault(dk, set()).add(i)
                for c in d.get("level3s", []):
                    ck = (3, c["level3_id"], nfc(c["name"]), unit_type(c["name"], c.get("type")), d["level2_id"])
                    seen.setdefault(ck, set()).add(i)
    rows = []
    for key, idx in seen.items():
        first, last = min(idx), max(idx)
        frm = "" if first == 0 else dates[first]
        until = MERGER_DATE if last == len(dates) - 1 else dates[last + 1]
        rows.append((key, frm, until))
    return rows, dates


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def other_tone_placement(low):
    """'hòa' <-> 'hoà', 'thủy' <-> 'thuỷ': both placements are in use; hunspell-vi has the second."""
    cl = []
    for ch in unicodedata.normalize("NFD", low):
        if unicodedata.combining(ch) and cl:
            cl[-1][1].append(ch)
        else:
            cl.append([ch, []])
    if len(cl) < 2:
        return ""
    a, b = cl[-2][0], cl[-1][0]
    if not ((a == "o" and b in "ae") or (a == "u" and b == "y" and not (len(cl) >= 3 and cl[-3][0] == "q"))):
        return ""
    marks = [(k, m) for k in (len(cl) - 2, len(cl) - 1) for m in cl[k][1]]
    if len(marks) != 1 or marks[0][1] not in TONES:
        return ""
    k, m = marks[0]
    cl[k][1] = []
    cl[len(cl) - 1 if k == len(cl) - 2 else len(cl) - 2][1].append(m)
    return unicodedata.normalize("NFC", "".join(c + "".join(ms) for c, ms in cl))


def name_syllable_ok(low, syll):
    """A syllable hunspell-vi knows, in either tone placement, or with y for i ('vy', 'thy':
    names keep the old y spelling hunspell-vi does not list)."""
    for v in (low, other_tone_placement(low)):
        if v and (v in syll or (v.endswith("y") and v[:-1] + "i" in syll)):
            return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dvhcvn", required=True)
    ap.add_argument("--merger", required=True)
    ap.add_argument("--names", required=True)
    ap.add_argument("--hunspell", default="/usr/share/hunspell/vi_VN.dic")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()

    snaps = snapshots(a.dvhcvn)
    rows, dates = old_units(snaps)
    dv_head = git(a.dvhcvn, "log", "-1", "--format=%H %cs", "--", "data/dvhcvn.json").decode().split()

    merges = json.loads(git(a.merger, "show", "HEAD:mapping/merges.json"))["data"]
    splits = json.loads(git(a.merger, "show", "HEAD:mapping/splits.json"))["data"]
    mg_head = git(a.merger, "log", "-1", "--format=%H %cs").decode().split()
    succ = {}  # (level, old code) -> [new codes]
    for p in splits:
        succ[(1, p["level1_id"])] = [s["new_id"] for s in p.get("splits", [])]
        for d in p.get("level2s", []):  # island districts without communes became special zones
            succ[(2, d["level2_id"])] = [s["new_id"] for s in d.get("splits", [])]
        for c in p.get("level3s", []):
            succ[(3, c["level3_id"])] = [s["new_id"] for s in c.get("splits", [])]

    lines = []
    for (level, code, name, typ, parent), frm, until in rows:
        s = ",".join(succ.get((level, code), [])) if until == MERGER_DATE else ""
        lines.append(("o", level, code, parent, typ, name, frm, until, s))
    for p in merges:
        pname = nfc(p["name"])
        lines.append(("n", 1, p["level1_id"], "", unit_type(pname, ""), pname, MERGER_DATE, "", ""))
        for c in p["level2s"]:
            cname = nfc(c["name"])
            lines.append(("n", 3, c["level2_id"], p["level1_id"], unit_type(cname, ""), cname, MERGER_DATE, "", ""))

    gz = os.path.join(a.out, "gazetteer.tsv")
    with open(gz + ".tmp", "w", encoding="utf-8") as f:
        f.write("# Vietnam's administrative units; built by models/build_gazetteer.py, see models/README.md\n")
        f.write(f"# old era: daohoangson/dvhcvn data/dvhcvn.json, {len(dates)} snapshots {dates[0]}..{dates[-1]},"
                f" last commit {dv_head[0]} ({dv_head[1]})\n")
        f.write(f"# new era (from {MERGER_DATE}): dvhcvn/20250701 mapping/merges.json and splits.json,"
                f" commit {mg_head[0]} ({mg_head[1]})\n")
        f.write("#era\tlevel\tcode\tparent\ttype\tname\tfrom\tuntil\tsuccessors\n")
        for ln in lines:
            f.write("\t".join(str(x) for x in ln) + "\n")
    os.replace(gz + ".tmp", gz)

    # Names: surnames are a name's first syllable; given-name syllables the rest. Only syllables
    # hunspell-vi knows are kept, so a crawled typo or a foreign name does not become knowledge.
    syll = set()
    with open(a.hunspell, encoding="utf-8") as f:
        next(f)
        for w in f:
            syll.add(nfc(w.split("/")[0]).lower())
    people = json.loads(git(a.names, "show", "HEAD:uit_member.json"))
    nm_head = git(a.names, "log", "-1", "--format=%H %cs").decode().split()
    sur, given = collections.Counter(), collections.Counter()
    for person in people:
        parts = nfc(person.get("full_name", "")).split()
        if len(parts) < 2 or not all(name_syllable_ok(x.lower(), syll) for x in parts):
            continue
        sur[parts[0].title()] += 1
        for x in parts[1:]:
            given[x.title()] += 1
    # A surname seen fewer than 3 times in ~30k names is more likely a misfiled given name.
    surnames = {k: v for k, v in sur.items() if v >= 3}
    hand = os.path.join(a.out, "surnames_common.txt")
    with open(hand, encoding="utf-8") as f:
        for ln in f:
            ln = nfc(ln.split("#")[0])
            if ln:
                surnames.setdefault(ln, 0)
    nt = os.path.join(a.out, "names.tsv")
    with open(nt + ".tmp", "w", encoding="utf-8") as f:
        f.write("# Vietnamese surnames and given-name syllables; built by models/build_gazetteer.py\n")
        f.write(f"# source: duyet/vietnamese-namedb uit_member.json (MIT), commit {nm_head[0]} ({nm_head[1]}),"
                " syllables checked against hunspell-vi; plus models/surnames_common.txt (count 0 = hand list only)\n")
        f.write("#kind\tvalue\tcount\n")
        for k, v in sorted(surnames.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"surname\t{k}\t{v}\n")
        for k, v in sorted(given.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"given\t{k}\t{v}\n")
    os.replace(nt + ".tmp", nt)
    n_by = collections.Counter((l[0], l[1]) for l in lines)
    print(f"gazetteer: {len(lines)} rows {dict(sorted(n_by.items()))}; names: {len(surnames)} surnames,"
          f" {len(given)} given syllables", file=sys.stderr)


if __name__ == "__main__":
    main()

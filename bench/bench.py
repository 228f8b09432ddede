#!/usr/bin/python3
"""Helpers for bench/run (standard library only; Debian's /usr/bin/python3).

    bench.py select  --src SET --truth TRUTH --run DIR [--pages N]
        DIR/set/ = hard links to whole input files of SET (first files in truth order until
        N pages), DIR/truth.json = their truth entries.
    bench.py prepare --run DIR
        Untimed preparation for the other contenders: archive members extracted, one image
        per page for plain tesseract (tiffsplit / pdfimages / pdftoppm), and job lists
        DIR/ocrmypdf.jobs and DIR/tesseract.jobs (NUL-separated) + DIR/manifest.json.
    bench.py prepared-jobs --run DIR
        Job list DIR/tesseract-prepared.jobs from DIR/prepared/index.jsonl, the images a separate
        (untimed) `sohoa run --dump-ocr-images DIR/prepared` handed to recognition.
    bench.py score   --run DIR --results DIR [--contenders a,b,c] [--label TEXT] [--repeat N]
        CER of every contender against the truth, timings from /usr/bin/time -v,
        prints the table, writes RESULTS/latest.json and RESULTS/latest.md. With --repeat N,
        DIR/sohoa.K.time and DIR/tesseract-prepared.K.time (K = 1..N) are N pairs: each pair's
        ratios and their median are reported, the table shows the median pair, and the report
        goes to RESULTS/repeat.json and repeat.md instead.
    bench.py memset  --src SET --truth TRUTH --out DIR --pages N
        A set of at least N pages made of copies of SET's input files (each copy
        made unique by a few trailing bytes so content hashes differ).
    bench.py memreport --dir DIR --results DIR
        Reads DIR/mem-*.time and writes RESULTS/memory.json / memory.md.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "tools"))
import textmetrics  # noqa: E402

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def group_by_file(inputs):
    """[(path, [truth entries of that file])] in truth order."""
    order, groups = [], {}
    for e in inputs:
        if e["path"] not in groups:
            groups[e["path"]] = []
            order.append(e["path"])
        groups[e["path"]].append(e)
    return [(p, groups[p]) for p in order]


def link_or_copy(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# --------------------------------------------------------------------------- select
def cmd_select(a):
    inputs = textmetrics.truth_inputs(a.truth)
    set_dir = os.path.join(a.run, "set")
    if os.path.isdir(set_dir):
        shutil.rmtree(set_dir)
    os.makedirs(set_dir)
    chosen, pages = [], 0
    excluded = set(x for x in a.exclude.split(",") if x)
    for path, entries in group_by_file(inputs):
        if path in excluded:
            log(f"excluded {path}")
            continue
        n = sum(e["page_count"] for e in entries)
        if a.pages and chosen and pages + n > a.pages:
            continue                   # try smaller files further on
        src = os.path.join(a.src, path)
        if not os.path.exists(src):
            sys.exit(f"bench: {src} is listed in {a.truth} but missing")
        link_or_copy(src, os.path.join(set_dir, path))
        chosen.extend(entries)
        pages += n
        if a.pages and pages >= a.pages:
            break
    with open(os.path.join(a.run, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"inputs": chosen}, f, ensure_ascii=False, indent=1)
    log(f"selected {len(chosen)} inputs, {pages} pages -> {set_dir}")
    print(pages)


# --------------------------------------------------------------------------- image DPI sniffing
def image_dpi(path):
    """DPI stored in a PNG / JPEG / TIFF header, or None (stdlib only, best effort)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 16)
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        pos = 8
        while pos + 8 <= len(head):
            length, ctype = struct.unpack(">I4s", head[pos:pos + 8])
            if ctype == b"pHYs" and length == 9:
                x, _y, unit = struct.unpack(">IIB", head[pos + 8:pos + 17])
                return round(x * 0.0254) if unit == 1 else None
            if ctype in (b"IDAT", b"IEND"):
                return None
            pos += 12 + length
        return None
    if head.startswith(b"\xff\xd8"):
        i = head.find(b"JFIF\x00")
        if 0 < i < 40:
            unit = head[i + 7]
            x = struct.unpack(">H", head[i + 8:i + 10])[0]
            if unit == 1:
                return x
            if unit == 2:
                return round(x * 2.54)
        return None
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        e = "<" if head[:2] == b"II" else ">"
        try:
            with open(path, "rb") as f:
                data = f.read()
            ifd = struct.unpack(e + "I", data[4:8])[0]
            n = struct.unpack(e + "H", data[ifd:ifd + 2])[0]
            xres, unit = None, 2
            for k in range(n):
                off = ifd + 2 + 12 * k
                tag, typ, _cnt = struct.unpack(e + "HHI", data[off:off + 8])
                if tag == 282 and typ == 5:
                    vo = struct.unpack(e + "I", data[off + 8:off + 12])[0]
                    num, den = struct.unpack(e + "II", data[vo:vo + 8])
                    xres = num / den if den else None
                elif tag == 296:
                    unit = struct.unpack(e + "H", data[off + 8:off + 10])[0]
            if xres is None or unit == 1:
                return None
            return round(xres * 2.54) if unit == 3 else round(xres)
        except (struct.error, IndexError):
            return None
    return None


# --------------------------------------------------------------------------- prepare
def extract_member(archive, member, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if archive.lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as z, open(dest, "wb") as out:
            out.write(z.read(member))
    else:
        with tarfile.open(archive) as t:
            f = t.extractfile(member)
            with open(dest, "wb") as out:
                out.write(f.read())


def pdf_page_images(pdf, out_prefix, n_pages):
    """One PNG per page of a PDF with its DPI: the embedded scan when every page holds
    exactly one image (pdfimages, lossless), otherwise a 300 dpi rendering (pdftoppm)."""
    lst = run(["pdfimages", "-list", pdf]).stdout.splitlines()[2:]
    per_page = {}
    for row in lst:
        f = row.split()
        if len(f) >= 14 and f[2] == "image":
            per_page.setdefault(int(f[0]), []).append(int(f[12]))
    os.makedirs(os.path.dirname(out_prefix), exist_ok=True)
    if sorted(per_page) == list(range(1, n_pages + 1)) and all(len(v) == 1 for v in per_page.values()):
        run(["pdfimages", "-png", pdf, out_prefix])
        files = sorted(fn for fn in os.listdir(os.path.dirname(out_prefix))
                       if fn.startswith(os.path.basename(out_prefix) + "-") and fn.endswith(".png"))
        if len(files) == n_pages:
            return [(os.path.join(os.path.dirname(out_prefix), fn), per_page[i + 1][0], "pdfimages")
                    for i, fn in enumerate(files)]
    run(["pdftoppm", "-r", "300", "-png", pdf, out_prefix])
    files = sorted(fn for fn in os.listdir(os.path.dirname(out_prefix))
                   if fn.startswith(os.path.basename(out_prefix) + "-") and fn.endswith(".png"))
    return [(os.path.join(os.path.dirname(out_prefix), fn), 300, "pdftoppm") for fn in files]


def tiff_pages(tif, out_prefix, n_pages):
    if n_pages == 1:
        return [(tif, image_dpi(tif), "file")]
    os.makedirs(os.path.dirname(out_prefix), exist_ok=True)
    run(["tiffsplit", tif, out_prefix + "-"])
    files = sorted(fn for fn in os.listdir(os.path.dirname(out_prefix))
                   if fn.startswith(os.path.basename(out_prefix) + "-") and fn.endswith(".tif"))
    return [(os.path.join(os.path.dirname(out_prefix), fn), image_dpi(os.path.join(os.path.dirname(out_prefix), fn)), "tiffsplit")
            for fn in files]


def cmd_prepare(a):
    rund = os.path.abspath(a.run)
    set_dir = os.path.join(rund, "set")
    inputs = textmetrics.truth_inputs(os.path.join(rund, "truth.json"))
    for sub in ("extracted", "pages"):
        shutil.rmtree(os.path.join(rund, sub), ignore_errors=True)
    units, ocr_jobs, tess_jobs = [], [], []
    notes = set()
    for k, e in enumerate(inputs):
        src = os.path.join(set_dir, e["path"])
        if e.get("member"):
            dst = os.path.join(rund, "extracted", e["path"] + ".d", e["member"])
            extract_member(src, e["member"], dst)
            src = dst
            notes.add("archive members extracted for OCRmyPDF and tesseract (untimed)")
        ext = os.path.splitext(src)[1].lower()
        n = e["page_count"]
        prefix = os.path.join(rund, "pages", f"u{k:04d}", "p")
        if ext == ".pdf":
            pages = pdf_page_images(src, prefix, n)
            dpi_flag = ""
        elif ext in (".tif", ".tiff"):
            pages = tiff_pages(src, prefix, n)
            d = image_dpi(src)
            dpi_flag = "" if d and d > 96 else "300"
        else:
            d = image_dpi(src)
            pages = [(src, d, "file")]
            dpi_flag = "" if d and d > 96 else "300"
        if len(pages) != n:
            log(f"warning: {e['path']} {e.get('member')}: truth says {n} pages, extracted {len(pages)}")
        for _p, _d, how in pages:
            if how != "file":
                notes.add(f"page images for tesseract made with {how} (untimed)")
        ocr_out = os.path.join(rund, "ocrmypdf-OUT", f"u{k:04d}.pdf")
        ocr_jobs.append((src, f"u{k:04d}", dpi_flag))
        page_txt = []
        for i, (img, d, _how) in enumerate(pages):
            txt = os.path.join(rund, "tesseract-out", f"u{k:04d}-p{i + 1:03d}")
            tess_jobs.append((img, txt, str(d or 0)))
            page_txt.append(txt + ".txt")
        units.append({"path": e["path"], "member": e.get("member"), "file": src, "pages": n,
                      "unit": f"u{k:04d}", "tesseract_txt": page_txt, "ocrmypdf_image_dpi": dpi_flag or None})
        del ocr_out
    with open(os.path.join(rund, "ocrmypdf.jobs"), "w") as f:
        for job in ocr_jobs:
            f.write("\0".join(job) + "\0")
    with open(os.path.join(rund, "tesseract.jobs"), "w") as f:
        for job in tess_jobs:
            f.write("\0".join(job) + "\0")
    with open(os.path.join(rund, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"units": units, "notes": sorted(notes)}, f, ensure_ascii=False, indent=1)
    log(f"prepared {len(units)} inputs, {len(tess_jobs)} page images")


def cmd_prepared_jobs(a):
    rund = os.path.abspath(a.run)
    pdir = os.path.join(rund, "prepared")
    outd = os.path.join(rund, "tesseract-prepared-out")
    jobs, pages = [], []
    with open(os.path.join(pdir, "index.jsonl"), encoding="utf-8") as f:
        for ln in f:
            if not ln.strip():
                continue
            e = json.loads(ln)
            base = os.path.join(outd, os.path.splitext(e["image"])[0])
            jobs.append((os.path.join(pdir, e["image"]), base, str(e["dpi"])))
            pages.append({"path": e["path"], "member": e["member"], "page": e["page"], "txt": base + ".txt"})
    jobs.sort()
    with open(os.path.join(rund, "tesseract-prepared.jobs"), "w") as f:
        for job in jobs:
            f.write("\0".join(job) + "\0")
    with open(os.path.join(pdir, "pages.json"), "w", encoding="utf-8") as f:
        json.dump(pages, f, ensure_ascii=False, indent=1)
    log(f"{len(jobs)} prepared page images for tesseract-prepared")
    print(len(jobs))


# --------------------------------------------------------------------------- hypotheses per contender
def split_pages(text, n):
    parts = text.split("\f")
    if len(parts) > n and all(not p.strip() for p in parts[n:]):
        parts = parts[:n]            # trailing form feed after the last page
    if len(parts) < n:
        parts += [""] * (n - len(parts))
    return parts


def hyp_sohoa(rund, units, errors, rotations):
    out = os.path.join(rund, "sohoa-out")
    hyp = {}
    try:
        with open(os.path.join(out, "batch.json"), encoding="utf-8") as f:
            batch = json.load(f)
    except (OSError, ValueError) as ex:
        errors.append(f"sohoa: no batch.json ({ex})")
        return hyp, None
    for err in batch.get("errors", []):
        errors.append(f"sohoa: {json.dumps(err, ensure_ascii=False)}")
    for item in batch.get("items", []):
        key = (item["path"], item.get("member"))
        pages = {}
        for rid in item.get("records", []):
            rdir = os.path.join(out, "records", rid)
            try:
                with open(os.path.join(rdir, "record.json"), encoding="utf-8") as f:
                    rec = json.load(f)
                with open(os.path.join(rdir, "text.txt"), encoding="utf-8") as f:
                    text = f.read()
            except (OSError, ValueError) as ex:
                errors.append(f"sohoa: record {rid} of {key}: {ex}")
                continue
            first, last = rec["source"]["pages"]
            for pg in rec.get("pages", []):
                rotations[(key, pg["number"])] = pg.get("rotation")
            for i, t in enumerate(split_pages(text, last - first + 1)):
                pages[first + i] = pages.get(first + i, "") + t
        hyp[key] = pages
    return hyp, batch


def hyp_pdftotext(rund, units, name, errors):
    hyp = {}
    for u in units:
        pdf = os.path.join(rund, f"{name}-out", u["unit"] + ".pdf")
        key = (u["path"], u["member"])
        if not os.path.exists(pdf):
            errors.append(f"{name}: no output for {u['path']}" + (f" [{u['member']}]" if u["member"] else ""))
            continue
        try:
            text = run(["pdftotext", "-enc", "UTF-8", pdf, "-"]).stdout
        except subprocess.CalledProcessError as ex:
            errors.append(f"{name}: pdftotext failed on {pdf}: {ex.stderr.strip()}")
            continue
        hyp[key] = {i + 1: t for i, t in enumerate(split_pages(text, u["pages"]))}
    return hyp


def hyp_tesseract(rund, units, errors):
    hyp = {}
    for u in units:
        pages = {}
        for i, txt in enumerate(u["tesseract_txt"]):
            try:
                with open(txt, encoding="utf-8") as f:
                    pages[i + 1] = f.read()
            except OSError:
                errors.append(f"tesseract: no output {txt}")
        hyp[(u["path"], u["member"])] = pages
    return hyp


def hyp_tesseract_prepared(rund, errors):
    """Pages sohoa did not recognise (blank, separator, PDF text layer) have no image: empty text."""
    hyp = {}
    try:
        with open(os.path.join(rund, "prepared", "pages.json"), encoding="utf-8") as f:
            pages = json.load(f)
    except (OSError, ValueError) as ex:
        errors.append(f"tesseract-prepared: no prepared pages ({ex})")
        return hyp
    for p in pages:
        try:
            with open(p["txt"], encoding="utf-8") as f:
                hyp.setdefault((p["path"], p["member"]), {})[p["page"]] = f.read()
        except OSError:
            errors.append(f"tesseract-prepared: no output {p['txt']}")
    return hyp


# --------------------------------------------------------------------------- timing
def parse_time(path):
    out = {"wall_s": None, "max_rss_mib": None, "exit_status": None}
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return out
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        parts = [float(x) for x in m.group(1).split(":")]
        s = 0.0
        for p in parts:
            s = s * 60 + p
        out["wall_s"] = round(s, 2)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["max_rss_mib"] = round(int(m.group(1)) / 1024, 1)
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    m2 = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m and m2:
        out["cpu_s"] = round(float(m.group(1)) + float(m2.group(1)), 2)
    m = re.search(r"Percent of CPU this job got: (\d+)%", text)
    if m:
        out["cpu_percent"] = int(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit_status"] = int(m.group(1))
    m = re.search(r"Command terminated by signal (\d+)", text)
    if m:
        out["signal"] = int(m.group(1))
    return out


# --------------------------------------------------------------------------- score
CONTENDERS = {
    "sohoa": "sohoa run SET -o OUT -q --jobs 2",
    "ocrmypdf": "ocrmypdf -l vie --rotate-pages --deskew --jobs 2 --output-type pdf --force-ocr (one file at a time)",
    "ocrmypdf-clean": "ocrmypdf ... same + --clean (unpaper)",
    "tesseract": "tesseract PAGE - -l vie, 2 pages at a time (xargs -P2, OMP_THREAD_LIMIT=1)",
    "tesseract-prepared": "tesseract IMG - -l vie --oem 1 --psm 3 --dpi N -c tessedit_do_invert=0 over the images sohoa "
                          "hands to recognition (dumped by an untimed sohoa run), 2 at a time (xargs -P2, OMP_THREAD_LIMIT=1)",
}


def profiles_of(profile):
    return [p for p in profile.split("+") if p]


def fmt(x, nd=1, pct=False):
    if x is None:
        return "-"
    if pct:
        return f"{100 * x:.{nd}f}%"
    return f"{x:.{nd}f}"


def cmd_score(a):
    rund = os.path.abspath(a.run)
    truth = textmetrics.truth_inputs(os.path.join(rund, "truth.json"))
    with open(os.path.join(rund, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    units = manifest["units"]
    contenders = [c for c in a.contenders.split(",") if c]
    total_pages = sum(e["page_count"] for e in truth)
    pairs = repeated_pairs(rund, a.repeat) if a.repeat > 1 else None
    results = {}
    for c in contenders:
        errors = []
        extra = {}
        if c == "sohoa":
            rotations = {}
            hyp, batch = hyp_sohoa(rund, units, errors, rotations)
            # Orientation must be right on every page, whatever the CER: truth says how far the
            # scan is turned clockwise, sohoa the turn that undoes it.
            wrong, checked = [], 0
            for e in truth:
                for i, tp in enumerate(e["pages"]):
                    if tp.get("blank") or tp.get("separator"):  # neither is in a record's pages
                        continue
                    got = rotations.get(((e["path"], e.get("member")), i + 1))
                    checked += 1
                    if got is None or (got + tp.get("rotation", 0)) % 360 != 0:
                        wrong.append(f"{e['path']}{'!' + e['member'] if e.get('member') else ''} p{i + 1}: "
                                     f"scan turned {tp.get('rotation', 0)}, sohoa turned {got}")
            extra["orientation"] = {"pages_checked": checked, "wrong": wrong}
            if batch:
                extra["timings_s"] = batch.get("timings_s")
                extra["cpu_timings_s"] = batch.get("cpu_timings_s")
                extra["pages_reported"] = batch.get("pages")
                extra["records"] = batch.get("records")
        elif c.startswith("ocrmypdf"):
            hyp = hyp_pdftotext(rund, units, c, errors)
            try:
                with open(os.path.join(rund, f"{c}.failures")) as f:
                    errors += [f"{c}: {ln.strip()}" for ln in f if ln.strip()]
            except OSError:
                pass
        elif c == "tesseract":
            hyp = hyp_tesseract(rund, units, errors)
        elif c == "tesseract-prepared":
            hyp = hyp_tesseract_prepared(rund, errors)
        else:
            sys.exit(f"unknown contender {c}")
        tot_e = tot_r = scored = 0
        w_hit = w_ref = 0
        per_prof = {}
        worst = []
        for e in truth:
            key = (e["path"], e.get("member"))
            pages = hyp.get(key, {})
            for i, tp in enumerate(e["pages"]):
                if tp.get("blank") or tp.get("separator"):
                    continue
                h = pages.get(i + 1, "")
                ed, rl = textmetrics.cer_counts(h, tp.get("text", ""))
                if rl == 0:
                    continue
                tot_e += ed
                tot_r += rl
                wh, wr = textmetrics.word_recall_counts(h, tp.get("text", ""))
                w_hit += wh
                w_ref += wr
                scored += 1
                worst.append((ed / rl, e["path"], e.get("member"), i + 1, e["profile"]))
                for p in profiles_of(e["profile"]):
                    d = per_prof.setdefault(p, [0, 0, 0])
                    d[0] += ed
                    d[1] += rl
                    d[2] += 1
        timed_as = c if not pairs or c not in PAIR else f"{c}.{pairs['median_pair']}"
        t = parse_time(os.path.join(rund, f"{timed_as}.time"))
        wall = t["wall_s"]
        worst.sort(reverse=True)
        results[c] = {
            "command": CONTENDERS.get(c, c),
            "pages": total_pages,
            "pages_scored": scored,
            "wall_s": wall,
            "pages_per_min": round(total_pages * 60 / wall, 2) if wall else None,
            "max_rss_mib": t["max_rss_mib"],
            "cpu_percent": t.get("cpu_percent"),
            "cpu_s": t.get("cpu_s"),
            "load_at_start": read_first(os.path.join(rund, f"{timed_as}.load")),
            "exit_status": t["exit_status"],
            "cer": round(tot_e / tot_r, 4) if tot_r else None,
            "edits": tot_e,
            "word_recall": round(w_hit / w_ref, 4) if w_ref else None,
            "ref_chars": tot_r,
            "cer_by_profile": {p: {"cer": round(v[0] / v[1], 4) if v[1] else None, "pages": v[2],
                                   "edits": v[0], "ref_chars": v[1]} for p, v in sorted(per_prof.items())},
            "worst_pages": [{"cer": round(w[0], 3), "path": w[1], "member": w[2], "page": w[3], "profile": w[4]}
                            for w in worst[:5]],
            "errors": errors,
            **extra,
        }
    base = results.get("sohoa", {}).get("wall_s")
    base_cpu = results.get("sohoa", {}).get("cpu_s")
    for c, r in results.items():
        r["wall_ratio_to_sohoa"] = round(r["wall_s"] / base, 2) if base and r["wall_s"] else None
        r["cpu_ratio_to_sohoa"] = round(r["cpu_s"] / base_cpu, 2) if base_cpu and r.get("cpu_s") else None
    out = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "label": a.label,
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                    "cpu": cpu_model(), "versions": tool_versions(a.sohoa, a.source)},
        "set": {"pages": total_pages, "inputs": len(truth),
                "pages_scored_rule": "pages marked blank or separator in the truth are not scored"},
        "notes": manifest.get("notes", []),
        "remarks": a.note,
        "contenders": results,
    }
    if pairs:
        out["repeat"] = pairs
    os.makedirs(a.results, exist_ok=True)
    # Repeated pairs go to repeat.*, so latest.* keeps the last run of every contender.
    name = "repeat" if pairs else "latest"
    with open(os.path.join(a.results, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    md = render_md(out)
    with open(os.path.join(a.results, f"{name}.md"), "w", encoding="utf-8") as f:
        f.write(md)
    print(md)


PAIR = ("sohoa", "tesseract-prepared")


def repeated_pairs(rund, n):
    """Pairs K = 1..n of RUN/sohoa.K.time and RUN/tesseract-prepared.K.time: each pair's floor
    ratios (sohoa / tesseract-prepared, wall and CPU) and their medians. Both sides of a pair ran
    back to back, so load from elsewhere on the machine weighs on both alike."""
    rows = []
    for k in range(1, n + 1):
        s = parse_time(os.path.join(rund, f"sohoa.{k}.time"))
        f = parse_time(os.path.join(rund, f"tesseract-prepared.{k}.time"))
        if not (s["wall_s"] and f["wall_s"] and s.get("cpu_s") and f.get("cpu_s")):
            log(f"pair {k}: a time file is missing or incomplete; left out")
            continue
        rows.append({"pair": k, "first": "sohoa" if k % 2 else "tesseract-prepared",
                     "sohoa_wall_s": s["wall_s"], "floor_wall_s": f["wall_s"],
                     "sohoa_cpu_s": s["cpu_s"], "floor_cpu_s": f["cpu_s"],
                     "wall_ratio": round(s["wall_s"] / f["wall_s"], 3), "cpu_ratio": round(s["cpu_s"] / f["cpu_s"], 3),
                     "load_at_start": read_first(os.path.join(rund, f"sohoa.{k}.load"))})
    if not rows:
        sys.exit("score --repeat: no complete pair of time files")

    def median(xs):
        xs = sorted(xs)
        m = len(xs) // 2
        return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2

    by_wall = sorted(rows, key=lambda r: r["wall_ratio"])
    return {"pairs": rows,
            "median_wall_ratio": round(median([r["wall_ratio"] for r in rows]), 3),
            "median_cpu_ratio": round(median([r["cpu_ratio"] for r in rows]), 3),
            # the table's sohoa and tesseract-prepared rows: the pair at the median wall ratio
            # (for an even count, the lower of the two middle ones)
            "median_pair": by_wall[(len(rows) - 1) // 2]["pair"]}


def read_first(path):
    try:
        with open(path) as f:
            return f.read().strip() or None
    except OSError:
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def tool_versions(sohoa, source=""):
    v = {}
    if source:
        v["source"] = source
    try:
        if source:
            raise OSError
        head = run(["git", "-C", os.path.join(HERE, ".."), "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = run(["git", "-C", os.path.join(HERE, ".."), "status", "--porcelain", "--", "pipeline", "CMakeLists.txt"]).stdout.strip()
        v["source"] = f"git {head}" + (" + uncommitted pipeline/ changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        pass
    for name, cmd in (("sohoa", [sohoa, "--version"] if sohoa else None),
                      ("tesseract", ["tesseract", "--version"]),
                      ("ocrmypdf", ["ocrmypdf", "--version"])):
        if not cmd:
            continue
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
            v[name] = p.stdout.strip().splitlines()[0] if p.stdout.strip() else "?"
        except (OSError, subprocess.SubprocessError):
            v[name] = "not installed"
    return v


def render_md(out):
    res = out["contenders"]
    profs = sorted({p for r in res.values() for p in r["cer_by_profile"]})
    lines = [f"# sohoa bench — {out['date']}", ""]
    m = out["machine"]
    lines.append(f"{out['set']['inputs']} inputs, {out['set']['pages']} pages; {m['cpus']} CPUs ({m['cpu']}); "
                 + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".")
    if out.get("label"):
        lines.append(f"Set: {out['label']}.")
    lines += ["", "| contender | pages | wall s | pages/min | time vs sohoa | CPU s (user+sys) | CPU vs sohoa | peak RSS MiB | CPU % | CER overall | word recall | scored pages |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c, r in res.items():
        lines.append(f"| {c} | {r['pages']} | {fmt(r['wall_s'])} | {fmt(r['pages_per_min'])} | "
                     f"{fmt(r['wall_ratio_to_sohoa'], 2)}× | {fmt(r.get('cpu_s'))} | {fmt(r.get('cpu_ratio_to_sohoa'), 2)}× | "
                     f"{fmt(r['max_rss_mib'], 0)} | "
                     f"{r.get('cpu_percent') if r.get('cpu_percent') is not None else '-'} | {fmt(r['cer'], 2, True)} | "
                     f"{fmt(r['word_recall'], 1, True)} | "
                     f"{r['pages_scored']} |")
    so, tp, om = res.get("sohoa"), res.get("tesseract-prepared"), res.get("ocrmypdf")
    if so and so.get("wall_s"):
        lines.append("")
        if tp and tp.get("wall_s"):
            cpu = (f"; by CPU time {so['cpu_s'] / tp['cpu_s']:.2f}×" if so.get("cpu_s") and tp.get("cpu_s") else "")
            lines.append(f"**Floor ratio** (sohoa wall / tesseract-prepared wall, target ≤ 1.30): "
                         f"**{so['wall_s'] / tp['wall_s']:.2f}×**{cpu}.")
        if om and om.get("wall_s"):
            lines.append(f"**OCRmyPDF ratio** (sohoa wall / ocrmypdf wall, target ≤ 0.25): {so['wall_s'] / om['wall_s']:.2f}×.")
    rep = out.get("repeat")
    if rep:
        lines += ["", f"**{len(rep['pairs'])} pairs** of sohoa and tesseract-prepared, run alternately (the table above "
                  f"shows pair {rep['median_pair']}, the median by wall ratio): median floor ratio "
                  f"**{rep['median_wall_ratio']:.2f}×** wall, {rep['median_cpu_ratio']:.2f}× CPU.", "",
                  "| pair | ran first | sohoa wall s | floor wall s | wall ratio | sohoa CPU s | floor CPU s | CPU ratio | load at start |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
        for r in rep["pairs"]:
            lines.append(f"| {r['pair']} | {r['first']} | {r['sohoa_wall_s']:.1f} | {r['floor_wall_s']:.1f} | "
                         f"{r['wall_ratio']:.2f}× | {r['sohoa_cpu_s']:.1f} | {r['floor_cpu_s']:.1f} | {r['cpu_ratio']:.2f}× | "
                         f"{r['load_at_start'] or '-'} |")
        lines.append("")
    if so and so.get("orientation"):
        o = so["orientation"]
        lines.append(f"sohoa orientation: {o['pages_checked'] - len(o['wrong'])} of {o['pages_checked']} pages "
                     "upright (blank and separator pages not counted)" + (": wrong on " + "; ".join(o["wrong"]) if o["wrong"] else "") + ".")
    if so and so.get("cpu_timings_s"):
        n = so["pages"]
        lines.append("sohoa CPU seconds per page by stage (batch.json cpu_timings_s / pages): "
                     + ", ".join(f"{k} {v / n:.3f}" for k, v in so["cpu_timings_s"].items() if v / n >= 0.0005)
                     + f"; whole process {so['cpu_s'] / n:.3f}.")
    for c, r in res.items():
        if r.get("load_at_start"):
            lines.append(f"Load average when {c} started: {r['load_at_start']}.")
    for rem in out.get("remarks", []):
        lines += ["", rem]
    lines += ["", "CER by degradation profile (a page whose profile is `a+b` counts under both a and b; "
              "pages in parentheses):", ""]
    lines.append("| profile | " + " | ".join(res) + " |")
    lines.append("|---|" + "---:|" * len(res))
    for p in profs:
        cells = []
        for r in res.values():
            d = r["cer_by_profile"].get(p)
            cells.append(f"{fmt(d['cer'], 1, True)} ({d['pages']})" if d else "-")
        lines.append(f"| {p} | " + " | ".join(cells) + " |")
    lines += ["", "Commands:", ""]
    for c, r in res.items():
        lines.append(f"- **{c}**: `{r['command']}`")
    lines += ["", "CER = Levenshtein edits over code points / reference characters, summed over pages, after NFC "
              "and whitespace normalisation only (no case or punctuation folding); it also charges reading-order differences (two-column headers) "
              "and dotted leaders printed on forms but absent from the truth. Word recall = share of the truth's "
              "words (whitespace tokens, with multiplicity, order ignored) found in the output. Wall time covers only the OCR "
              "commands; peak RSS is the largest single process (for OCRmyPDF/tesseract: the largest child)."]
    if out["notes"]:
        lines += ["", "Untimed preparation: " + "; ".join(out["notes"]) + "."]
    errs = [(c, e) for c, r in res.items() for e in r["errors"]]
    if errs:
        lines += ["", "Errors:", ""] + [f"- {c}: {e}" for c, e in errs[:40]]
    lines += ["", "Worst pages:", ""]
    for c, r in res.items():
        lines.append(f"- {c}: " + "; ".join(f"{w['path']} p{w['page']} ({w['profile']}) {100 * w['cer']:.0f}%"
                                            for w in r["worst_pages"][:3]))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- memory set
def cmd_memset(a):
    inputs = textmetrics.truth_inputs(a.truth)
    excluded = set(x for x in a.exclude.split(",") if x)
    files = [(p, e) for p, e in group_by_file(inputs) if p not in excluded]
    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    pages, copy = 0, 0
    while pages < a.pages:
        added = False
        for path, entries in files:
            n = sum(e["page_count"] for e in entries)
            if pages + n > a.pages and pages > 0 and n > 1:
                continue
            dossier, rest = path.split("/", 1) if "/" in path else ("", path)
            dst = os.path.join(a.out, f"{dossier}-c{copy:02d}", rest)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            src = os.path.join(a.src, path)
            if copy == 0:
                link_or_copy(src, dst)
            else:
                # Trailing bytes after the image/PDF end: readers ignore them, the hash differs.
                shutil.copyfile(src, dst)
                if not path.lower().endswith(ARCHIVE_SUFFIXES):
                    with open(dst, "ab") as f:
                        f.write(b"\n%% bench copy %d\n" % copy if path.lower().endswith(".pdf")
                                else b"\0" * copy)
            pages += n
            added = True
            if pages >= a.pages:
                break
        copy += 1
        if not added:
            break
    log(f"memory set: {pages} pages -> {a.out}")
    print(pages)


def cmd_memreport(a):
    rows = []
    for fn in sorted(os.listdir(a.dir)):
        m = re.match(r"mem-(\d+)\.time$", fn)
        if not m:
            continue
        n = int(m.group(1))
        t = parse_time(os.path.join(a.dir, fn))
        b = {}
        try:
            with open(os.path.join(a.dir, f"mem-{n}-out", "batch.json"), encoding="utf-8") as f:
                b = json.load(f)
        except (OSError, ValueError):
            pass
        rows.append({"pages_requested": n, "pages_processed": b.get("pages"), "records": b.get("records"),
                     "errors": len(b.get("errors", [])), **t,
                     "pages_per_min": round(b["pages"] * 60 / t["wall_s"], 2) if b.get("pages") and t["wall_s"] else None})
    rows.sort(key=lambda r: r["pages_requested"])
    out = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "cpu": cpu_model(),
           "command": "sohoa run SET -o OUT -q --jobs 2", "runs": rows}
    os.makedirs(a.results, exist_ok=True)
    with open(os.path.join(a.results, "memory.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    lines = [f"# sohoa memory — {out['date']}", "", f"`{out['command']}` on {out['cpus']} CPUs ({out['cpu']}).", "",
             "| pages | processed | wall s | pages/min | peak RSS MiB | exit | errors |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['pages_requested']} | {r['pages_processed']} | {fmt(r['wall_s'])} | {fmt(r['pages_per_min'])} | "
                     f"{fmt(r['max_rss_mib'], 0)} | {r['exit_status']} | {r['errors']} |")
    md = "\n".join(lines) + "\n"
    with open(os.path.join(a.results, "memory.md"), "w") as f:
        f.write(md)
    print(md)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--src", required=True)
    s.add_argument("--truth", required=True)
    s.add_argument("--run", required=True)
    s.add_argument("--pages", type=int, default=0)
    s.add_argument("--exclude", default="", help="comma-separated input paths to leave out")
    s = sub.add_parser("prepare")
    s.add_argument("--run", required=True)
    s = sub.add_parser("prepared-jobs")
    s.add_argument("--run", required=True)
    s = sub.add_parser("score")
    s.add_argument("--run", required=True)
    s.add_argument("--results", required=True)
    s.add_argument("--contenders", default="sohoa,ocrmypdf,tesseract")
    s.add_argument("--label", default="")
    s.add_argument("--sohoa", default="")
    s.add_argument("--source", default="", help="what sohoa was built from")
    s.add_argument("--note", action="append", default=[], help="extra line for the report")
    s.add_argument("--repeat", type=int, default=1, help="pairs of sohoa / tesseract-prepared runs (RUN/c.K.time)")
    s = sub.add_parser("memset")
    s.add_argument("--src", required=True)
    s.add_argument("--truth", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--pages", type=int, required=True)
    s.add_argument("--exclude", default="")
    s = sub.add_parser("memreport")
    s.add_argument("--dir", required=True)
    s.add_argument("--results", required=True)
    a = ap.parse_args()
    {"select": cmd_select, "prepare": cmd_prepare, "prepared-jobs": cmd_prepared_jobs, "score": cmd_score, "memset": cmd_memset,
     "memreport": cmd_memreport}[a.cmd](a)


if __name__ == "__main__":
    main()

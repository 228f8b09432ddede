#!/usr/bin/python3
"""Train the doc_type model (naive Bayes) that pipeline/classify loads from models/doctype_nb.txt.

Training material, per document of a generated set (samples/generate.py):
  * the ground-truth text, plus --noise noisy copies (diacritics dropped, l/1 O/0 swaps, broken
    and glued words, lost lines) standing in for OCR errors;
  * and, better, the real sohoa OCR text of the same documents when --records OUT is given
    (OUT from `sohoa run SET -o OUT`), matched by (source.path, source.member, pages).
The held-out sets (--heldout TRUTH[:OUT]) are only scored: generated with other seeds and fonts, or another
corpus altogether (the dev corpus, made by another generator).

    (the exact round that made models/doctype_nb.txt and models/reliability.png: models/README.md)
    /usr/bin/python3 models/train.py --truth TRAIN-truth.json --records TRAIN-OUT \\
        --heldout HELDOUT-truth.json:HELDOUT-OUT [--heldout ../shared/dev-corpus/truth.json:DEV-OUT]
    /usr/bin/python3 models/train.py --score models/doctype_nb.txt --heldout ...   # score a model, no training
    /usr/bin/python3 models/train.py --truth ... --records ... --heldout ... --from-out OUT [OUT ...] --out /tmp/nb.txt
        # + the records clerks approved at the review desk (`sohoa review OUT`): their text.txt with their
        # (possibly corrected) doc_type; trains with and without them and scores both on the same held-out sets

The held-out figures go to models/reliability.json and the reliability diagram (predicted
confidence against observed accuracy) to models/reliability.png.

Standard library, and python3-pil for the diagram.
"""
import argparse
import collections
import glob
import json
import math
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nbfeatures import features, fold  # noqa: E402

# The doc_type codes come from the document-type catalogue, like everything else that knows types.
CLASSES = [t["code"] for t in json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "doctypes.json"),
                                             encoding="utf-8"))["types"]]


def truth_docs(path):
    """{(path, member, first, last): (doc_type, text)} of a truth.json: samples/generate.py's (inputs
    with pages and documents) or the dev corpus's (a list of documents with their text)."""
    t = json.load(open(path, encoding="utf-8"))
    out = {}
    for d in t.get("documents", []):
        f, l = d["pages"]
        out[(d["path"], d.get("member"), f, l)] = (d["doc_type"], d.get("text", "").replace("\f", "\n"))
    for inp in t.get("inputs", []):
        pages = inp.get("pages", [])
        for d in inp.get("documents", []):
            f, l = d["pages"]
            text = "\n".join(p.get("text", "") for p in pages[f - 1:l] if not p.get("blank"))
            out[(inp["path"], inp.get("member"), f, l)] = (d["doc_type"], text)
    return out


def record_texts(out_dir):
    res = {}
    for rj in glob.glob(os.path.join(out_dir, "records", "*", "record.json")):
        r = json.load(open(rj, encoding="utf-8"))
        s = r["source"]
        tp = os.path.join(os.path.dirname(rj), "text.txt")
        text = open(tp, encoding="utf-8").read().replace("\f", "\n") if os.path.exists(tp) else ""
        res[(s["path"], s.get("member"), s["pages"][0], s["pages"][1])] = text
    return res


def approved_records(out_dir):
    """The records of an OUT that a clerk approved at the review desk (record.json desk.status
    "approved", pipeline/desk/desk.cc), as dicts: id, doc_type (the record's, so a correction made
    at the desk), text (text.txt), corrected_from (the type before the desk changed it, None when it
    did not), out. Also the number of records looked at."""
    got, seen = [], 0
    for rj in sorted(glob.glob(os.path.join(out_dir, "records", "*", "record.json"))):
        seen += 1
        r = json.load(open(rj, encoding="utf-8"))
        desk = r.get("desk") or {}
        if desk.get("status") != "approved":
            continue
        tp = os.path.join(os.path.dirname(rj), "text.txt")
        text = open(tp, encoding="utf-8").read().replace("\f", "\n") if os.path.exists(tp) else ""
        changes = [e for e in desk.get("events", []) if e.get("field") == "doc_type"]
        before = changes[0].get("before") if changes else None
        got.append({"id": r["id"], "doc_type": r.get("doc_type"), "text": text,
                    "corrected_from": before if before != r.get("doc_type") else None, "out": os.path.abspath(out_dir)})
    return got, seen


SWAPS = [("l", "1"), ("1", "l"), ("O", "0"), ("0", "O"), ("m", "rn"), ("i", "l"), ("I", "l"), ("ư", "u"),
         ("ơ", "o"), ("đ", "d"), ("Đ", "D"), ("e", "c"), ("h", "b"), ("n", "u")]


def strip_marks(w):
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", w)
                                                if not unicodedata.combining(c)))


def noisy(text, rnd, level):
    lines = []
    for line in text.split("\n"):
        if rnd.random() < 0.04 * level:
            continue
        words = line.split(" ")
        out = []
        for w in words:
            r = rnd.random()
            if r < 0.25 * level:
                w = strip_marks(w)
            if rnd.random() < 0.06 * level and w:
                a, b = rnd.choice(SWAPS)
                w = w.replace(a, b, 1)
            if rnd.random() < 0.04 * level and len(w) > 3:
                k = rnd.randint(1, len(w) - 1)
                w = w[:k] + " " + w[k:]
            out.append(w)
        s = " ".join(out)
        if lines and rnd.random() < 0.05 * level:
            lines[-1] += " " + s      # columns run together
        else:
            lines.append(s)
    return "\n".join(lines)


def train(samples, alpha=0.5, keep=3000):
    ndoc = collections.Counter()
    cnt = {c: collections.Counter() for c in CLASSES}
    df = collections.Counter()
    for y, fs in samples:
        ndoc[y] += 1
        cnt[y].update(fs)
        df.update(fs)
    n = sum(ndoc.values())
    # keep features that tell classes apart: presence rate in some class far from the overall rate
    scored = []
    for f, d in df.items():
        if d < 3:
            continue
        base = d / n
        best = max(abs(cnt[c][f] / ndoc[c] - base) for c in CLASSES if ndoc[c])
        scored.append((best, f))
    scored.sort(reverse=True)
    vocab = [f for _, f in scored[:keep]]
    loglik = {}
    for c in CLASSES:
        tot = sum(cnt[c][f] for f in vocab)
        den = tot + alpha * len(vocab)
        for f in vocab:
            loglik.setdefault(f, []).append(math.log((cnt[c][f] + alpha) / den))
    return vocab, loglik


def typicality(loglik, fs, k):
    """Mean log P(f | class k) over the known features: pipeline/classify/model.cc typicality()."""
    vals = [loglik[f][k] for f in fs if f in loglik]
    return sum(vals) / len(vals) if vals else float("-inf")


FAMILIAR_SDS = 2.5   # a class's floor: this many standard deviations under its documents' mean


def familiarity_lines(loglik, samples):
    """The model file's familiar_floor and familiar_spread lines, from the typicality of each
    class's own training documents under it (samples: (doc_type, features) of the texts the
    pipeline will see: sohoa's OCR where there is one). A class with fewer than 5 documents gets
    no floor (-1e9): too few to say what is typical."""
    by = collections.defaultdict(list)
    for y, fs in samples:
        if y in CLASSES:
            by[y].append(typicality(loglik, fs, CLASSES.index(y)))
    floors, spreads = [], []
    for c in CLASSES:
        v = [x for x in by[c] if x != float("-inf")]
        if len(v) < 5:
            floors.append(-1e9), spreads.append(1.0)
            continue
        mean = sum(v) / len(v)
        sd = max(0.05, (sum((x - mean) ** 2 for x in v) / (len(v) - 1)) ** 0.5)
        floors.append(mean - FAMILIAR_SDS * sd), spreads.append(sd)
        print(f"  familiarity {c}: {len(v)} documents, typicality mean {mean:.2f} sd {sd:.2f} -> floor {floors[-1]:.2f}")
    return ["familiar_floor " + " ".join(f"{x:.3f}" for x in floors),
            "familiar_spread " + " ".join(f"{x:.3f}" for x in spreads)]


def posterior(loglik, fs, temp):
    s = [math.log(1 / len(CLASSES))] * len(CLASSES)
    for f in fs:
        v = loglik.get(f)
        if v:
            for k in range(len(CLASSES)):
                s[k] += v[k]
    m = max(s)
    e = [math.exp((x - m) / temp) for x in s]
    z = sum(e)
    return [x / z for x in e]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", action="append", default=[], help="truth.json of a training set (repeatable)")
    ap.add_argument("--records", action="append", default=[], help="sohoa OUT dir of a training set (repeatable)")
    ap.add_argument("--heldout", action="append", default=[], help="TRUTH.json[:OUT] scored, never trained on")
    ap.add_argument("--noise", type=int, default=3, help="noisy copies of each truth text")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "doctype_nb.txt"))
    ap.add_argument("--reliability", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "reliability.png"),
                    help="where the held-out reliability diagram goes ('' for none)")
    ap.add_argument("--figures", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "reliability.json"),
                    help="where the held-out figures (accuracy, ECE, bins) go, as JSON ('' for none)")
    ap.add_argument("--score", default=None, metavar="MODEL",
                    help="score this model file on the held-out sets instead of training one")
    ap.add_argument("--familiar", action="append", default=[], metavar="TRUTH:OUT",
                    help="documents of the training generator the model never trained on (sohoa's OCR of them in OUT): "
                         "each class's typicality floor is set from them (repeatable)")
    ap.add_argument("--set-familiar", default=None, metavar="MODEL",
                    help="only (re)write MODEL's familiar_floor/familiar_spread lines from the --familiar sets, "
                         "and familiar_accuracy from the --unfamiliar sets")
    ap.add_argument("--unfamiliar", action="append", default=[], metavar="TRUTH:OUT",
                    help="a corpus of another generator or real documents, never trained on (sohoa's OCR in OUT): "
                         "familiar_accuracy is the model's accuracy on its texts the floors call unfamiliar")
    ap.add_argument("--from-out", nargs="+", action="extend", default=[], metavar="OUT",
                    help="sohoa OUT folders whose desk-approved records (text.txt, the record's doc_type) are extra "
                         "training documents; the model is trained with and without them and both are scored on the "
                         "held-out sets (the comparison is printed and goes into --figures)")
    ap.add_argument("--out-without", default=None, metavar="MODEL",
                    help="with --from-out: also write the model trained without the approved records here")
    a = ap.parse_args()
    if a.from_out and (a.score or a.set_familiar):
        ap.error("--from-out trains a model: not with --score or --set-familiar")
    rnd = random.Random(a.seed)

    docs = {}
    for t in a.truth:
        docs.update(truth_docs(t))
    held_keys = set()
    held = []
    for h in a.heldout:
        tp, _, op = h.partition(":")
        hd = truth_docs(tp)
        held_keys |= {(os.path.abspath(tp), k) for k in hd}
        rec = record_texts(op) if op else {}
        name = os.path.basename(tp).removesuffix(".json").removesuffix("-truth")
        if name == "truth":   # the dev corpus's truth.json: name it by its folder
            name = os.path.basename(os.path.dirname(os.path.abspath(tp)))
        for k, (y, text) in hd.items():
            held.append((name, y, rec.get(k, text), k in rec))
    familiar = []
    for h in a.familiar:
        tp, _, op = h.partition(":")
        rec = record_texts(op) if op else {}
        familiar += [(y, features(rec.get(k, text))) for k, (y, text) in truth_docs(tp).items()]
    if a.set_familiar:
        loglik, temp = load_model(a.set_familiar)
        lines = familiarity_lines(loglik, familiar)
        floors = ([float(x) for x in lines[0].split()[1:]], [float(x) for x in lines[1].split()[1:]], 0.0)
        other = []
        for h in a.unfamiliar:
            tp, _, op = h.partition(":")
            rec = record_texts(op) if op else {}
            other += [(y, rec.get(k, text)) for k, (y, text) in truth_docs(tp).items()]
        right, n = unfamiliar_accuracy(loglik, temp, floors, other)
        # Two halves, each scored with the accuracy the other measured: a held-out figure for it.
        halves = [other[0::2], other[1::2]]
        for i in (0, 1):
            r2, n2 = unfamiliar_accuracy(loglik, temp, floors, halves[1 - i])
            fl = floors[:2] + ((r2 / n2) if n2 else 0.0,)
            preds = []
            for y, text in halves[i]:
                fs = features(text)
                p = posterior(loglik, fs, temp)
                k = max(range(len(CLASSES)), key=lambda j: p[j])
                preds.append((p[k] * confidence_factor(fl, familiarity(fl, typicality(loglik, fs, k), k)), CLASSES[k] == y))
            print(f"  half {i} ({len(preds)} documents) with the other half's familiar_accuracy {fl[2]:.3f}: "
                  f"ECE {ece_of(preds):.3f} (without familiarity "
                  f"{ece_of([(max(posterior(loglik, features(t), temp)), r) for (y, t), (_, r) in zip(halves[i], preds)]):.3f})")
        acc = right / n if n else 0.0
        lines.append(f"familiar_accuracy {acc:.3f}")
        print(f"  unfamiliar texts of the --unfamiliar sets: {n}, the model right on {right} -> familiar_accuracy {acc:.3f}")
        kept = [x for x in open(a.set_familiar, encoding="utf-8") if not x.startswith("familiar_")]
        at = next(i for i, x in enumerate(kept) if x.startswith("temperature")) + 1
        open(a.set_familiar, "w", encoding="utf-8").writelines(kept[:at] + [x + "\n" for x in lines] + kept[at:])
        print(f"{a.set_familiar}: familiarity floors from {len(familiar)} documents")
        return
    if a.score:
        loglik, best_t = load_model(a.score)
        print(f"scoring {a.score} (temperature {best_t}), no training")
        evaluate(held, loglik, best_t, a, read_familiar(a.score))
        return
    by_doc = collections.defaultdict(list)   # document -> its samples: truth, noisy copies, OCR text
    for k, (y, text) in docs.items():
        by_doc[k].append((y, features(text)))
        for i in range(a.noise):
            by_doc[k].append((y, features(noisy(text, rnd, 1.0 + i * 0.5))))
    nrec = 0
    ocr_of = {}
    for od in a.records:
        for k, text in record_texts(od).items():
            if k in docs:
                by_doc[k].append((docs[k][0], features(text)))
                ocr_of[k] = by_doc[k][-1]
                nrec += 1
    held_outs = {os.path.realpath(h.partition(":")[2]) for h in a.heldout if h.partition(":")[2]}
    approved, use = approved_from(a.from_out, held, held_outs)
    if a.from_out and not by_doc:
        sys.exit("--from-out adds to a training set: give --truth (and --records) too")
    # Temperature on a validation tenth of the documents, kept apart whole: a noisy copy of a
    # validation document in the training part would make the model look surer than it is. It is
    # scored on what the pipeline will see: the OCR text where there is one, else the noisiest copy.
    # The tenth is drawn from the training set's documents only, so that the model with the approved
    # records and the one without have the same validation documents.
    keys = sorted(by_doc, key=str)
    rnd.shuffle(keys)
    val_keys = set(keys[:max(1, len(keys) // 10)])

    def fit(extra):
        """(vocab, loglik, temperature, samples) trained on the training set plus extra documents
        {key: [(doc_type, features)]}, which always go to the training part."""
        _, ll_val = train([s for k in keys if k not in val_keys for s in by_doc[k]] + [s for v in extra.values() for s in v])
        val = [ocr_of.get(k, by_doc[k][-1]) for k in val_keys]
        best_t, best_loss = 1.0, 1e18
        for temp in TEMPERATURES:
            loss = 0
            for y, fs in val:
                p = posterior(ll_val, fs, temp)
                loss -= math.log(max(1e-9, p[CLASSES.index(y)]))
            if loss < best_loss:
                best_t, best_loss = temp, loss
        print(f"temperature {best_t}: mean log loss {best_loss / len(val):.3f} on {len(val)} validation documents "
              f"({sum(1 for k in val_keys if k in ocr_of)} OCR texts)")
        samples = [s for k in sorted(by_doc, key=str) for s in by_doc[k]] + [s for k in sorted(extra) for s in extra[k]]
        vocab, loglik = train(samples)
        return vocab, loglik, best_t, samples

    if a.from_out:
        print(f"without the approved records:")
        vocab0, loglik0, t0, samples0 = fit({})
        fam0 = None
        if familiar:
            lines = familiarity_lines(loglik0, familiar)
            fam0 = ([float(x) for x in lines[0].split()[1:]], [float(x) for x in lines[1].split()[1:]], 0.0)
        print(f"{len(docs)} training documents, {len(samples0)} samples ({nrec} OCR texts), {len(vocab0)} features")
        without = evaluate(held, {f: loglik0[f] for f in vocab0}, t0, a, fam0, png="", figures="")
        print(f"with the {len(use)} approved records:")
    extra = {("desk", r["id"]): [(r["doc_type"], features(r["text"]))] for r in use}
    vocab, loglik, best_t, samples = fit(extra)
    def write(path, vocab, loglik, temp, samples, nuse):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("# sohoa doc_type model: multinomial naive Bayes over binary features (models/nbfeatures.py)\n")
            fh.write(f"# trained by models/train.py on {len(docs) + nuse} documents ({len(samples)} samples, {nrec} from sohoa OCR"
                     + (f", {nuse} approved at the review desk" if a.from_out else "") + ")\n")
            fh.write("classes " + " ".join(CLASSES) + "\n")
            fh.write("prior " + " ".join(f"{math.log(1 / len(CLASSES)):.4f}" for _ in CLASSES) + "\n")
            fh.write(f"temperature {temp}\n")
            if familiar:
                fh.write("".join(x + "\n" for x in familiarity_lines(loglik, familiar)))
            for f in vocab:
                fh.write("f " + f + " " + " ".join(f"{v:.3f}" for v in loglik[f]) + "\n")
    if a.from_out and a.out_without:
        write(a.out_without, vocab0, loglik0, t0, samples0, 0)
        print(f"the model without the approved records -> {a.out_without}")
    write(a.out, vocab, loglik, best_t, samples, len(use))
    print(f"{len(docs) + len(use)} training documents ({len(use)} approved at the desk), {len(samples)} samples "
          f"({nrec} OCR texts), {len(vocab)} features, temperature {best_t} -> {a.out}")
    comparison = None
    if a.from_out:
        comparison = {"from_out": [os.path.abspath(o) for o in a.from_out], "approved": approved,
                      "used": len(use), "corrected": sum(1 for r in use if r["corrected_from"]),
                      "records": [{k: r[k] for k in ("id", "doc_type", "corrected_from", "out")} for r in use],
                      "without": dict({k: v for k, v in (without or {}).items() if k != "bins"},
                                      training_documents=len(docs), samples=len(samples0)),
                      "with": {"training_documents": len(docs) + len(use), "samples": len(samples)}}
    got = evaluate(held, {f: loglik[f] for f in vocab}, best_t, a, read_familiar(a.out), comparison=comparison)
    if comparison is not None:
        print_comparison(comparison, got)


def approved_from(outs, held, held_outs):
    """The approved records of the --from-out folders, counted, and those to train on: one per record
    id (the first folder given wins), with a type of the catalogue, some text, and neither in a
    held-out set's OUT (held_outs) nor a held-out text (the held-out sets are never trained on)."""
    counts = collections.Counter()
    use, ids = [], set()
    held_texts = {" ".join(t.split()) for _, _, t, _ in held}
    for od in outs:
        if not os.path.isdir(os.path.join(od, "records")):
            sys.exit(f"{od}: not a sohoa OUT (no records/)")
        recs, seen = approved_records(od)
        if os.path.realpath(od) in held_outs:
            counts["records"] += seen
            counts["approved"] += len(recs)
            counts["skipped_held_out"] += len(recs)
            continue
        counts["records"] += seen
        counts["approved"] += len(recs)
        for r in recs:
            why = ("duplicate" if r["id"] in ids else "not_a_catalogue_type" if r["doc_type"] not in CLASSES
                   else "no_text" if not r["text"].strip() else "held_out" if " ".join(r["text"].split()) in held_texts else None)
            if why:
                counts["skipped_" + why] += 1
                continue
            ids.add(r["id"])
            use.append(r)
    print(f"--from-out: {counts['records']} records in {len(outs)} folder(s), {counts['approved']} approved at the desk, "
          f"{len(use)} used ({sum(1 for r in use if r['corrected_from'])} with a doc_type the clerk corrected)"
          + "".join(f", {v} {k.removeprefix('skipped_').replace('_', ' ')}" for k, v in counts.items() if k.startswith("skipped_")))
    for r in use:
        print(f"  approved {r['id']}: {r['doc_type']}" + (f" (corrected from {r['corrected_from']})" if r["corrected_from"] else ""))
    return dict(counts), use


def print_comparison(c, with_):
    """What the approved records changed, per held-out set: the same documents scored by the model
    trained without them and by the one trained with them."""
    print(f"approved records: what they changed on the held-out sets ({c['used']} records, {c['corrected']} corrected; "
          f"{c['without']['samples']} -> {c['with']['samples']} samples)")
    print(f"  {'held-out set':<16} {'documents':>9}  {'without: right':>16} {'ECE':>6}  {'with: right':>16} {'ECE':>6}  change")
    w0 = c["without"].get("sets", {})
    for name, s in (with_ or {}).get("sets", {}).items():
        b = w0.get(name)
        if not b:
            continue
        print(f"  {name:<16} {s['documents']:>9}  {b['right']:>5} ({b['accuracy']:.3f}) {b['ece']:>12.3f}  "
              f"{s['right']:>5} ({s['accuracy']:.3f}) {s['ece']:>12.3f}  {s['right'] - b['right']:+d} right, "
              f"{s['changed']} predictions changed")


TEMPERATURES = [round(2 ** (i / 2), 2) for i in range(0, 21)]   # 1 ... 1024, steps of sqrt(2)


def load_model(path):
    """(loglik, temperature) of a model file as pipeline/classify/model.cc reads it."""
    loglik, temp, classes = {}, 1.0, None
    for line in open(path, encoding="utf-8"):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "classes":
            classes = w[1:]
        elif w[0] == "temperature":
            temp = float(w[1])
        elif w[0] == "f":
            loglik[w[1]] = [float(x) for x in w[2:]]
    if classes != CLASSES:
        sys.exit(f"{path}: its classes are not the catalogue's")
    return loglik, temp


def read_familiar(path):
    """(floors, spreads, accuracy) of a model file's familiar_ lines; None when it has none."""
    got = {}
    for line in open(path, encoding="utf-8"):
        w = line.split()
        if w and w[0] in ("familiar_floor", "familiar_spread", "familiar_accuracy"):
            got[w[0]] = [float(x) for x in w[1:]]
    if "familiar_floor" not in got or "familiar_spread" not in got:
        return None
    return got["familiar_floor"], got["familiar_spread"], got.get("familiar_accuracy", [0.0])[0]


def familiarity(familiar, t, k):
    """pipeline/classify/model.cc familiarity(): 1, or exp(-(floor - t) / spread) below the floor."""
    if not familiar:
        return 1.0
    below = familiar[0][k] - t
    return 1.0 if below <= 0 else math.exp(-below / max(1e-3, familiar[1][k]))


def confidence_factor(familiar, fam):
    """pipeline/classify/model.cc: what the posterior is multiplied by. An unfamiliar text is
    right as often as the model was on the unfamiliar texts of a corpus it never trained on
    (familiar_accuracy), a familiar one as often as the posterior says."""
    if not familiar:
        return 1.0
    return familiar[2] + (1 - familiar[2]) * fam


def unfamiliar_accuracy(loglik, temp, familiar, docs):
    """(right, n) of the model on the texts of docs [(doc_type, text)] it finds unfamiliar (< 0.5)."""
    right = n = 0
    for y, text in docs:
        fs = features(text)
        p = posterior(loglik, fs, temp)
        k = max(range(len(CLASSES)), key=lambda i: p[i])
        if familiarity(familiar, typicality(loglik, fs, k), k) < 0.5:
            n += 1
            right += CLASSES[k] == y
    return right, n


def evaluate(held, loglik, temp, a, familiar=None, png=None, figures=None, comparison=None):
    """Scores the model alone on the held-out documents (never trained on) and writes the figures
    and the reliability diagram (a.reliability, a.figures unless png/figures say otherwise; '' for
    none). With familiar (floors, spreads) the confidence is the pipeline's model_p: the posterior
    times how familiar the text is to the class it picked. With comparison (the approved records and
    the figures of the model trained without them) each set also says how many predictions changed,
    and the figures file gets it as "approved_records". Returns the figures, with the prediction of
    every document ("predicted")."""
    png = a.reliability if png is None else png
    figures = a.figures if figures is None else figures
    if not held:
        return None
    preds = []
    predicted = []
    per_set = collections.OrderedDict()
    set_preds = collections.defaultdict(list)
    for name, y, text, from_ocr in held:
        fs = features(text)
        p = posterior(loglik, fs, temp)
        k = max(range(len(CLASSES)), key=lambda i: p[i])
        fam = familiarity(familiar, typicality(loglik, fs, k), k)
        preds.append((p[k] * confidence_factor(familiar, fam), CLASSES[k] == y))
        predicted.append(CLASSES[k])
        set_preds[name].append(preds[-1])
        s = per_set.setdefault(name, {"documents": 0, "right": 0, "ocr_texts": 0, "unfamiliar": 0, "unfamiliar_right": 0,
                                      "raw_mean_confidence": 0.0})
        s["documents"] += 1
        s["right"] += CLASSES[k] == y
        s["ocr_texts"] += from_ocr
        s["raw_mean_confidence"] += p[k]
        if fam < 0.5:
            s["unfamiliar"] += 1
            s["unfamiliar_right"] += CLASSES[k] == y
    ok = sum(1 for _, right in preds if right)
    nocr = sum(1 for _, _, _, r in held if r)
    for name, s in per_set.items():
        s["accuracy"] = round(s["right"] / s["documents"], 4)
        s["mean_confidence"] = round(sum(c for c, _ in set_preds[name]) / s["documents"], 4)
        s["ece"] = round(ece_of(set_preds[name]), 4)
        s["raw_mean_confidence"] = round(s["raw_mean_confidence"] / s["documents"], 4)
        if comparison is not None:
            before = comparison["without"]["predicted"]
            s["changed"] = sum(1 for i, h in enumerate(held) if h[0] == name and predicted[i] != before[i])
        print(f"held-out {name}: {s['unfamiliar']} documents unfamiliar (familiarity < 0.5), {s['unfamiliar_right']} of them right; "
              f"posterior before familiarity: mean {s['raw_mean_confidence']:.3f}")
        print(f"held-out {name}: model alone doc_type accuracy {s['right']}/{s['documents']} = {s['accuracy']:.3f} "
              f"at mean confidence {s['mean_confidence']:.3f}, ECE {s['ece']:.3f} ({s['ocr_texts']} texts from sohoa OCR)")
    print(f"held-out, all: model alone doc_type accuracy {ok}/{len(held)} = {ok / len(held):.3f} "
          f"({nocr} texts from sohoa OCR, the rest ground truth)")
    rows, ece = reliability(preds, png,
                            "; ".join(f"{n}: {v['right']}/{v['documents']} right, ECE {v['ece']:.3f}" for n, v in per_set.items()))
    got = {"temperature": temp, "documents": len(held), "right": ok, "accuracy": round(ok / len(held), 4),
           "ece": round(ece, 4), "sets": per_set,
           "bins": [{"from": i / 10, "to": (i + 1) / 10, "n": n, "mean_confidence": round(mc, 4),
                     "accuracy": round(acc, 4)} for i, n, mc, acc in rows]}
    if figures:
        doc = {"model": os.path.relpath(a.score or a.out, os.path.dirname(os.path.abspath(figures)))}
        doc.update(got)
        doc["diagram"] = os.path.basename(png) if png else None
        if comparison is not None:
            c = dict(comparison)
            c["without"] = {k: v for k, v in c["without"].items() if k != "predicted"}
            c["with"] = dict(c["with"], **{k: v for k, v in got.items() if k != "bins"})
            c["changed"] = sum(1 for x, y in zip(predicted, comparison["without"]["predicted"]) if x != y)
            doc["approved_records"] = c
        with open(figures, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print(f"figures -> {figures}")
    got["predicted"] = predicted
    return got


def ece_of(preds):
    """Expected calibration error of (confidence, right) pairs over ten bins."""
    bins = collections.defaultdict(list)
    for conf, right in preds:
        bins[min(9, int(conf * 10))].append((conf, right))
    return sum(len(b) / len(preds) * abs(sum(c for c, _ in b) / len(b) - sum(1 for _, r in b if r) / len(b))
               for b in bins.values())


def reliability(preds, png, sets=""):
    """Predicted confidence against observed accuracy on the held-out documents, in ten bins: a
    table, the expected calibration error, and the diagram as a picture (python3-pil). Returns
    (rows, ece)."""
    bins = [[] for _ in range(10)]
    for conf, right in preds:
        bins[min(9, int(conf * 10))].append((conf, right))
    ece = 0.0
    print("reliability (held-out): bin  n  mean confidence  accuracy")
    rows = []
    for i, b in enumerate(bins):
        if not b:
            continue
        mc = sum(c for c, _ in b) / len(b)
        acc = sum(1 for _, r in b if r) / len(b)
        ece += len(b) / len(preds) * abs(mc - acc)
        rows.append((i, len(b), mc, acc))
        print(f"  {i / 10:.1f}-{(i + 1) / 10:.1f}  {len(b):4d}  {mc:.3f}  {acc:.3f}")
    print(f"expected calibration error {ece:.3f}")
    if not png:
        return rows, ece
    from PIL import Image, ImageDraw, ImageFont
    try:
        fnt = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 13)   # fonts-dejavu-core
    except OSError:
        fnt = ImageFont.load_default()
    w, h = 640, 560
    left, right, top, bottom = 60, 30, 108, 60
    side_x, side_y = w - left - right, h - top - bottom
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)

    def xy(x, y):
        return left + x * side_x, h - bottom - y * side_y
    d.rectangle([xy(0, 1), xy(1, 0)], outline="black")
    d.line([xy(0, 0), xy(1, 1)], fill=(160, 160, 160), width=1)
    for i, n, mc, acc in rows:
        x0, x1 = i / 10, (i + 1) / 10
        d.rectangle([xy(x0 + 0.01, acc), xy(x1 - 0.01, 0)], fill=(70, 110, 200), outline=(30, 60, 140))
        cx, cy = xy(mc, mc)
        d.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=(200, 60, 40))
        inside = acc > 0.15   # the count and accuracy inside a tall bar, above a short one
        d.text((xy(x0, acc)[0] + 4, xy(x0, acc)[1] + (6 if inside else -34)), f"n={n}\n{acc:.3f}",
               fill="white" if inside else "black", font=fnt)
    for t in range(0, 11, 2):
        d.text((xy(t / 10, 0)[0] - 10, h - bottom + 6), f"{t / 10:.1f}", fill="black", font=fnt)
        d.text((18, xy(0, t / 10)[1] - 7), f"{t / 10:.1f}", fill="black", font=fnt)
    d.text((left, 10), "doc_type model on held-out documents (never trained on)", fill="black", font=fnt)
    d.text((left, 28), f"{len(preds)} documents, accuracy {sum(1 for _, r in preds if r) / len(preds):.3f}, "
                       f"expected calibration error {ece:.3f}", fill="black", font=fnt)
    d.text((left, 46), sets, fill="black", font=fnt)
    d.text((left, 64), "bars: observed accuracy per bin of predicted confidence;", fill="black", font=fnt)
    d.text((left, 80), "red dots: the bin's mean predicted confidence (on the diagonal if calibrated)", fill="black", font=fnt)
    d.text((left + 120, h - 28), "predicted confidence (model_p)", fill="black", font=fnt)
    im.save(png)
    print(f"reliability diagram -> {png}")
    return rows, ece


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Train the doc_type model (naive Bayes) that pipeline/classify loads from models/doctype_nb.txt.

Training material, per document of a generated set (samples/generate.py):
  * the ground-truth text, plus --noise noisy copies (diacritics dropped, l/1 O/0 swaps, broken
    and glued words, lost lines) standing in for OCR errors;
  * and, better, the real sohoa OCR text of the same documents when --records OUT is given
    (OUT from `sohoa run SET -o OUT`), matched by (source.path, source.member, pages).
The held-out sets (--heldout TRUTH[:OUT]) are generated with another seed and are only scored.

    /usr/bin/python3 samples/generate.py --set bench --seed 11 --count 260 --out /tmp/train
    build-cls/sohoa run /tmp/train -o /tmp/train-out -q
    /usr/bin/python3 samples/generate.py --set bench --seed 22 --count 160 --out /tmp/heldout
    build-cls/sohoa run /tmp/heldout -o /tmp/heldout-out -q
    /usr/bin/python3 models/train.py --truth /tmp/train-truth.json --records /tmp/train-out \\
        --heldout /tmp/heldout-truth.json:/tmp/heldout-out

Standard library only.
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
    """{(path, member, first, last): (doc_type, text)} of a truth.json."""
    t = json.load(open(path, encoding="utf-8"))
    out = {}
    for inp in t["inputs"]:
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
    ap.add_argument("--truth", action="append", required=True, help="truth.json of a training set (repeatable)")
    ap.add_argument("--records", action="append", default=[], help="sohoa OUT dir of a training set (repeatable)")
    ap.add_argument("--heldout", action="append", default=[], help="TRUTH.json[:OUT] scored, never trained on")
    ap.add_argument("--noise", type=int, default=3, help="noisy copies of each truth text")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "doctype_nb.txt"))
    ap.add_argument("--reliability", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "reliability.png"),
                    help="where the held-out reliability diagram goes ('' for none)")
    a = ap.parse_args()
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
        for k, (y, text) in hd.items():
            held.append((y, rec.get(k, text), k in rec))
    samples = []
    for k, (y, text) in docs.items():
        samples.append((y, features(text)))
        for i in range(a.noise):
            samples.append((y, features(noisy(text, rnd, 1.0 + i * 0.5))))
    nrec = 0
    for od in a.records:
        rec = record_texts(od)
        for k, text in rec.items():
            if k in docs:
                samples.append((docs[k][0], features(text)))
                nrec += 1
    # temperature on a validation tenth of the documents
    rnd.shuffle(samples)
    nval = max(1, len(samples) // 10)
    _, ll_val = train(samples[nval:])
    best_t, best_loss = 1.0, 1e18
    for temp in (1, 2, 4, 8, 16, 32, 64):
        loss = 0
        for y, fs in samples[:nval]:
            p = posterior(ll_val, fs, temp)
            loss -= math.log(max(1e-9, p[CLASSES.index(y)]))
        if loss < best_loss:
            best_t, best_loss = temp, loss
    vocab, loglik = train(samples)
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("# sohoa doc_type model: multinomial naive Bayes over binary features (models/nbfeatures.py)\n")
        fh.write(f"# trained by models/train.py on {len(docs)} documents ({len(samples)} samples, {nrec} from sohoa OCR)\n")
        fh.write("classes " + " ".join(CLASSES) + "\n")
        fh.write("prior " + " ".join(f"{math.log(1 / len(CLASSES)):.4f}" for _ in CLASSES) + "\n")
        fh.write(f"temperature {best_t}\n")
        for f in vocab:
            fh.write("f " + f + " " + " ".join(f"{v:.3f}" for v in loglik[f]) + "\n")
    print(f"{len(docs)} training documents, {len(samples)} samples ({nrec} OCR texts), {len(vocab)} features, "
          f"temperature {best_t} -> {a.out}")
    if held:
        preds = []
        for y, text, _ in held:
            p = posterior(loglik, features(text), best_t)
            k = max(range(len(CLASSES)), key=lambda i: p[i])
            preds.append((p[k], CLASSES[k] == y))
        ok = sum(1 for _, right in preds if right)
        nocr = sum(1 for _, _, r in held if r)
        print(f"held-out: model alone doc_type accuracy {ok}/{len(held)} = {ok / len(held):.3f} "
              f"({nocr} texts from sohoa OCR, the rest ground truth)")
        reliability(preds, a.reliability)


def reliability(preds, png):
    """Predicted confidence against observed accuracy on the held-out documents, in ten bins: a
    table, the expected calibration error, and the diagram as a picture (python3-pil)."""
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
        return
    from PIL import Image, ImageDraw
    w = h = 420
    m = 50
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    side = w - 2 * m

    def xy(x, y):
        return m + x * side, h - m - y * side
    d.rectangle([xy(0, 1), xy(1, 0)], outline="black")
    d.line([xy(0, 0), xy(1, 1)], fill=(160, 160, 160), width=1)
    for i, n, mc, acc in rows:
        x0, x1 = i / 10, (i + 1) / 10
        d.rectangle([xy(x0 + 0.01, acc), xy(x1 - 0.01, 0)], fill=(70, 110, 200), outline=(30, 60, 140))
        d.ellipse([xy(mc, mc)[0] - 3, xy(mc, mc)[1] - 3, xy(mc, mc)[0] + 3, xy(mc, mc)[1] + 3], fill=(200, 60, 40))
        d.text((xy(x0, acc)[0] + 2, xy(x0, acc)[1] - 12), str(n), fill="black")
    for t in range(0, 11, 2):
        d.text((xy(t / 10, 0)[0] - 8, h - m + 6), f"{t / 10:.1f}", fill="black")
        d.text((8, xy(0, t / 10)[1] - 6), f"{t / 10:.1f}", fill="black")
    d.text((m, 12), f"doc_type model, held-out: accuracy per confidence bin (ECE {ece:.3f})", fill="black")
    d.text((m + 80, h - 20), "predicted confidence (bars: observed accuracy, n per bin)", fill="black")
    im.save(png)
    print(f"reliability diagram -> {png}")


if __name__ == "__main__":
    main()

"""Text metrics for scoring OCR output against sohoa's ground truth.

Standard library only (Debian's /usr/bin/python3).

    normalize(text)        NFC; runs of whitespace (incl. form feed, newline, tab) -> one space; strip.
    levenshtein(a, b)      edit distance over code points (insert/delete/substitute, cost 1 each).
    cer_counts(hyp, ref)   (edits, ref_len) of the normalized strings, for aggregation:
                           overall CER = sum(edits) / sum(ref_len).
    cer(hyp, ref)          edits / ref_len (0.0 when both are empty, 1.0 when only ref is).
    word_recall_counts(hyp, ref)
                           (ref words found in hyp, ref words): whitespace tokens with multiplicity,
                           order ignored -- what a full-text search would still find.
    load_truth(path)       {(path, member): input entry} from a truth.json.

The CER is deliberately "honest": no case folding, no punctuation or diacritic
removal; only Unicode NFC and whitespace are normalised, because a searchable
archive has to find "Nguyễn Văn An" exactly as printed.

The distance uses the bit-parallel algorithm of Myers (1999) in the
formulation of Hyyrö (2001), with Python's unbounded integers as the bit
vectors: one pass over the hypothesis, a dozen big-int operations per code
point, so a 3000-character page costs a few milliseconds instead of the
~9 million cell updates of the textbook dynamic programme.
"""
import collections
import json
import os
import re
import unicodedata

__all__ = ["normalize", "levenshtein", "levenshtein_dp", "cer_counts", "cer", "word_recall_counts",
           "load_truth", "truth_inputs"]

_WS = re.compile(r"\s+")


def normalize(text):
    """NFC, every whitespace run (spaces, tabs, newlines, form feeds, NBSP...) -> ' ', strip."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


def levenshtein_dp(a, b):
    """Textbook O(len(a)*len(b)) two-row dynamic programme (reference implementation)."""
    a = [ord(c) for c in a]
    b = [ord(c) for c in b]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def levenshtein(a, b):
    """Levenshtein distance between two strings, over code points (bit-parallel, exact)."""
    if a == b:
        return 0
    # Strip a common prefix and suffix: they never change the distance.
    start = 0
    n = min(len(a), len(b))
    while start < n and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a = a[start:end_a]
    b = b[start:end_b]
    if not a:
        return len(b)
    if not b:
        return len(a)
    # Pattern = the shorter string (fewer bits per vector), text = the longer.
    if len(a) > len(b):
        a, b = b, a
    m = len(a)
    full = (1 << m) - 1
    peq = {}
    bit = 1
    for c in a:
        peq[c] = peq.get(c, 0) | bit
        bit <<= 1
    pv = full
    mv = 0
    score = m
    top = 1 << (m - 1)
    for c in b:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        # Row 0 of the DP is D[0][j] = j, so the horizontal delta entering row 1 is +1.
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def cer_counts(hyp, ref):
    """(edit distance, reference length) of the normalized hypothesis and reference."""
    h = normalize(hyp)
    r = normalize(ref)
    return levenshtein(h, r), len(r)


def cer(hyp, ref):
    """Character error rate: edits / len(ref) of the normalized strings.

    0.0 when both are empty; 1.0 when the reference is empty but the hypothesis is not.
    Can exceed 1.0 when the hypothesis is much longer than the reference.
    """
    edits, ref_len = cer_counts(hyp, ref)
    if ref_len == 0:
        return 0.0 if edits == 0 else 1.0
    return edits / ref_len


def word_recall_counts(hyp, ref):
    """(reference words also in the hypothesis, reference words), multiset, order ignored."""
    h = collections.Counter(normalize(hyp).split())
    r = collections.Counter(normalize(ref).split())
    return sum((h & r).values()), sum(r.values())


def truth_inputs(path):
    """The list of input entries of a truth file (or of DIR/truth.json when given a folder)."""
    if os.path.isdir(path):
        path = os.path.join(path, "truth.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):
        return data.get("inputs", [])
    return data


def load_truth(path):
    """{(input path, archive member or None): truth entry} from a truth.json."""
    out = {}
    for entry in truth_inputs(path):
        out[(entry["path"], entry.get("member"))] = entry
    return out

"""Features of the doc_type model; must stay identical to features() in pipeline/classify/model.cc."""
import re
import unicodedata

HEAD_LINES = 15
BODY_TOKENS = 600
_TOK = re.compile(r"[a-z]+")


def fold(s):
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            continue
        if ch in ("đ", "Đ"):
            ch = "d"
        out.append(ch.lower())
    return "".join(out)


def tokens(folded):
    return [t for t in _TOK.findall(folded) if len(t) >= 2]


def features(text):
    head = []
    for line in re.split(r"[\n\f]", text):
        if len(head) >= HEAD_LINES:
            break
        if tokens(fold(line)):
            head.append(line)
    f = set()
    comp = ""
    for line in head:
        t = tokens(fold(line))
        for i, w in enumerate(t):
            f.add("h:" + w)
            if i + 1 < len(t):
                f.add("b:" + w + "_" + t[i + 1])
            comp += w
    for i in range(len(comp) - 3):
        f.add("c:" + comp[i:i + 4])
    for w in tokens(fold(text))[:BODY_TOKENS]:
        f.add("w:" + w)
    return f

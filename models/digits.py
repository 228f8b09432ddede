#!/usr/bin/python3
"""Handwritten digit recogniser for the slots of administrative papers ("Số: 07 /CT-UBND",
"ngày 20 tháng 3"): builds models/digits_mlp.txt, read by pipeline/extract/handwriting.cc.

Training data exists offline: digits rendered in Debian's handwriting fonts (distorted: slant,
rotation, stroke width, elastic warp, blur, binarisation at 200-300 dpi sizes), the real
handwritten digits sklearn ships (load_digits, 8x8, upsampled) and four fifths of the 5,000 real
handwritten digits opencv-doc ships (20x20, MNIST's); the last fifth is the held-out score of real
hands. An eleventh class, "not a digit",
holds what the slot's ink can be when it is not one digit: scribbles, seal arcs, printed letters
next to the slot, two digits touching. Fonts listed in HELD_OUT are never trained on: the unit
test (tests/unit/handwriting_test.cc) and the score below use them.

    /usr/bin/python3 models/digits.py            # writes models/digits_mlp.txt, prints held-out scores
    /usr/bin/python3 models/digits.py --render-heldout DIR   # the unit test's images (held-out fonts)

Deterministic: fixed seeds, one thread. Needs python3-opencv, python3-sklearn, python3-pil,
opencv-doc (only to train) and the fonts in .ci/install-deps.sh. About 4.5 minutes on one core.
"""
import argparse
import json
import math
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

cv2.setNumThreads(1)
HERE = os.path.dirname(os.path.abspath(__file__))

TRAIN_FONTS = [
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf",
    "/usr/share/fonts/truetype/breip/Breip.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf",
    "/usr/share/fonts/truetype/rufscript/Rufscript010.ttf",
]
# Never trained on: the held-out score, the unit test and the e2e samples' handwriting.
# (femkeklaver, also in Debian, draws its digits as outlines: no pen writes like that.)
HELD_OUT = [
    "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
]
# Printed letters that stand next to a slot; none of them looks like a digit.
PRINTED_FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
]
PRINTED_LETTERS = "acdehkmnrtuvwxyàáâăếốạảấ:/-ngthyCTUBNDHQĐ"
REJECT = 10

# ---- features: the same arithmetic as handwriting.cc features() ---------------------------------
SIDE = 32
CELLS = 4
BINS = 8


def deslant(img):
    """The glyph sheared upright by its second moments: hands slant their digits more than any
    training font does."""
    m = cv2.moments(img)
    if abs(m["mu02"]) < 1e-2:
        return img
    skew = max(-1.0, min(1.0, m["mu11"] / m["mu02"]))
    M = np.array([[1, skew, -0.5 * SIDE * skew], [0, 1, 0]], np.float32)
    return cv2.warpAffine(img, M, (SIDE, SIDE), flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR)


def holes(ink):
    """The glyph's holes (what tells a 0 from an 8 when HOG does not): how many there are with an
    area of 2% of its box or more (up to 3), the highest and the lowest of their centres (0-1 of
    its height; 0.5 without one), and their share of the box. Same as holes() in handwriting.cc."""
    h, w = ink.shape
    b = np.pad((ink > 127).astype(np.uint8) * 255, 1)
    contours, hierarchy = cv2.findContours(b, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    n, top, bottom, area = 0, 0.5, 0.5, 0.0
    if hierarchy is not None:
        for c, hier in zip(contours, hierarchy[0]):
            if hier[3] < 0:
                continue  # an outer contour
            a = cv2.contourArea(c)
            if a < 0.02 * h * w:
                continue
            m = cv2.moments(c)
            y = (m["m01"] / m["m00"] - 1) / h if m["m00"] > 0 else 0.5
            top, bottom = (y, y) if n == 0 else (min(top, y), max(bottom, y))
            n += 1
            area += a
    return np.array([min(n, 3), top, bottom, area / (h * w)], np.float32)


def features(ink):
    """ink: uint8, 255 where there is ink, cropped to the glyph's bounding box. The histogram is
    summed per cell and bin at once (the training set is large); the C++ loops give the same numbers."""
    h, w = ink.shape
    s = max(h, w)
    side = s + 2 * max(1, s // 8)
    canvas = np.zeros((side, side), np.float32)
    y0, x0 = (side - h) // 2, (side - w) // 2
    canvas[y0:y0 + h, x0:x0 + w] = ink.astype(np.float32) / 255.0
    img = deslant(cv2.resize(canvas, (SIDE, SIDE), interpolation=cv2.INTER_AREA))
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag, ang = cv2.cartToPolar(gx, gy, angleInDegrees=True)
    cell = SIDE // CELLS
    b = np.minimum(BINS - 1, (ang / np.float32(360.0 / BINS)).astype(np.int32))
    ys, xs = np.mgrid[0:SIDE, 0:SIDE]
    idx = ((ys // cell) * CELLS + xs // cell) * BINS + b
    hog = np.bincount(idx.ravel(), weights=mag.ravel().astype(np.float64), minlength=CELLS * CELLS * BINS).astype(np.float32)
    hog = np.sqrt(hog)
    hog /= np.sqrt(float((hog * hog).sum())) + 1e-6
    small = cv2.resize(img, (8, 8), interpolation=cv2.INTER_AREA).reshape(-1)
    aspect = np.array([math.log(max(w, 1) / max(h, 1))], np.float32)
    return np.concatenate([hog, small, aspect, holes(ink)]).astype(np.float32)


# ---- rendering and distortion -------------------------------------------------------------------

def crop(a):
    ys, xs = np.nonzero(a > 127)
    if len(ys) == 0:
        return None
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def render_text(font_path, text, size, stroke=0):
    font = ImageFont.truetype(font_path, size)
    im = Image.new("L", (size * (len(text) + 2), size * 3), 0)
    ImageDraw.Draw(im).text((size // 2, size // 2), text, fill=255, font=font, stroke_width=stroke, stroke_fill=255)
    return np.array(im)


def elastic(a, rng, alpha, sigma):
    h, w = a.shape
    dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(a, gx + dx, gy + dy, cv2.INTER_LINEAR, borderValue=0)


def distort(a, rng, strength=1.0, height=None):
    """A glyph (255 ink on 0, any size) as a pen might have written it, scanned at 200-300 dpi:
    binary, cropped; None when nothing is left."""
    a = np.pad(a, 40)
    h, w = a.shape
    shear = rng.uniform(-0.35, 0.35) * strength
    rot = math.radians(rng.uniform(-10, 10) * strength)
    sx = rng.uniform(0.75, 1.25)
    c, s = math.cos(rot), math.sin(rot)
    m = np.array([[c * sx, -s + shear, 0], [s * sx, c, 0]], np.float32)
    m[:, 2] = np.array([w / 2, h / 2]) - m[:, :2] @ np.array([w / 2, h / 2])
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    if rng.random() < 0.7:
        a = elastic(a, rng, rng.uniform(1, 5) * strength, rng.uniform(5, 9))
    k = int(rng.integers(0, 4))
    if k:  # pen width
        el = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
        a = cv2.dilate(a, el) if rng.random() < 0.7 else cv2.erode(a, el)
    g = crop(a)
    if g is None:
        return None
    # a handwritten digit's height at 200-300 dpi; one hand writes a number's digits alike
    target = int(rng.integers(22, 64)) if height is None else max(12, int(height * rng.uniform(0.85, 1.1)))
    f = target / max(g.shape[0], 1)
    g = cv2.resize(g, (max(1, int(round(g.shape[1] * f))), target), interpolation=cv2.INTER_AREA)
    g = np.pad(g, 3)
    if rng.random() < 0.5:
        g = cv2.GaussianBlur(g, (0, 0), rng.uniform(0.4, 1.1))
    g = np.where(g > rng.uniform(80, 170), 255, 0).astype(np.uint8)
    return crop(g)


def european_seven(a, rng):
    """The crossed 7 many hands write: a bar across the stem at mid height."""
    g = crop(a)
    if g is None:
        return a
    ys, xs = np.nonzero(a > 127)
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    ym = int(y0 + (y1 - y0) * rng.uniform(0.45, 0.6))
    t = max(2, (y1 - y0) // 12)
    out = a.copy()
    cv2.line(out, (int(x0 + (x1 - x0) * 0.1), ym), (int(x1 - (x1 - x0) * 0.1), ym - t), 255, t)
    return out


# Digits as pen strokes (x right, y down, in a unit box), in the forms hands write them: the
# looped 2, the crossed 7, the flagged 1, the open 4 of the French-taught hand common in Vietnam,
# beside the plain forms. A stroke is smoothed through its points; points are jittered per sample.
STROKES = {
    0: [[[0.6, 0.0], [0.25, 0.1], [0.1, 0.5], [0.25, 0.92], [0.55, 1.0], [0.85, 0.8], [0.9, 0.35], [0.7, 0.05], [0.5, 0.02]]],
    1: [[[0.5, 0.0], [0.5, 1.0]]],
}
STROKE_VARIANTS = {
    0: [STROKES[0]],
    1: [STROKES[1], [[[0.2, 0.25], [0.6, 0.0], [0.55, 1.0]]], [[[0.2, 0.25], [0.6, 0.0], [0.55, 1.0]], [[0.25, 1.0], [0.85, 1.0]]]],
    2: [[[[0.1, 0.25], [0.35, 0.02], [0.7, 0.02], [0.85, 0.25], [0.75, 0.5], [0.45, 0.75], [0.08, 1.0], [0.92, 0.98]]],
        [[[0.12, 0.22], [0.4, 0.0], [0.75, 0.05], [0.8, 0.35], [0.5, 0.68], [0.15, 0.92], [0.05, 0.8], [0.22, 0.72], [0.32, 0.88], [0.3, 0.98], [0.55, 0.96], [0.92, 0.98]]]],
    3: [[[[0.12, 0.12], [0.5, 0.0], [0.85, 0.15], [0.78, 0.38], [0.42, 0.48], [0.85, 0.62], [0.9, 0.85], [0.55, 1.0], [0.1, 0.9]]],
        [[[0.12, 0.0], [0.85, 0.0], [0.45, 0.4], [0.85, 0.58], [0.88, 0.85], [0.5, 1.0], [0.1, 0.88]]]],
    4: [[[[0.72, 1.0], [0.72, 0.0], [0.05, 0.68], [0.95, 0.68]]],
        [[[0.3, 0.0], [0.1, 0.62], [0.95, 0.62]], [[0.72, 0.3], [0.72, 1.0]]]],
    5: [[[[0.82, 0.0], [0.28, 0.0], [0.22, 0.45], [0.6, 0.38], [0.88, 0.6], [0.82, 0.9], [0.45, 1.0], [0.1, 0.88]]],
        [[[0.25, 0.0], [0.2, 0.45], [0.6, 0.38], [0.88, 0.6], [0.82, 0.9], [0.45, 1.0], [0.1, 0.88]], [[0.25, 0.02], [0.88, 0.0]]]],
    6: [[[[0.78, 0.0], [0.38, 0.22], [0.12, 0.65], [0.28, 0.96], [0.65, 0.96], [0.85, 0.7], [0.6, 0.48], [0.2, 0.62]]]],
    7: [[[[0.08, 0.02], [0.92, 0.0], [0.4, 1.0]]],
        [[[0.08, 0.02], [0.92, 0.0], [0.4, 1.0]], [[0.3, 0.52], [0.85, 0.46]]],
        [[[0.1, 0.1], [0.25, 0.0], [0.92, 0.02], [0.6, 0.45], [0.45, 1.0]], [[0.25, 0.5], [0.9, 0.44]]]],
    8: [[[[0.8, 0.15], [0.5, 0.0], [0.2, 0.15], [0.3, 0.4], [0.7, 0.6], [0.82, 0.85], [0.5, 1.0], [0.18, 0.85], [0.3, 0.6], [0.7, 0.4], [0.8, 0.15]]]],
    9: [[[[0.82, 0.3], [0.5, 0.48], [0.18, 0.3], [0.3, 0.04], [0.65, 0.0], [0.82, 0.3], [0.78, 1.0]]],
        [[[0.82, 0.25], [0.5, 0.45], [0.18, 0.28], [0.32, 0.02], [0.68, 0.02], [0.82, 0.25], [0.7, 0.75], [0.4, 1.0]]]],
}


def smooth(pts, n=16):
    """Catmull-Rom through the points."""
    p = np.array(pts, np.float64)
    if len(p) < 3:
        return np.linspace(p[0], p[-1], n)
    p = np.vstack([p[0], p, p[-1]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, n, endpoint=False):
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2])
    return np.array(out)


def pen_digit(d, rng):
    strokes = STROKE_VARIANTS[d][int(rng.integers(len(STROKE_VARIANTS[d])))]
    h = 100
    w = h * rng.uniform(0.45, 0.8)
    a = np.zeros((160, 160), np.uint8)
    for s in strokes:
        pts = np.array(s, np.float64) + rng.normal(0, 0.035, (len(s), 2))
        curve = smooth(pts) * np.array([w, h]) + np.array([(160 - w) / 2, 30])
        cv2.polylines(a, [np.round(curve * 4).astype(np.int32)], False, 255, int(rng.integers(4, 13)), cv2.LINE_AA, shift=2)
    return a


def pen_samples(per, rng, strength=1.0):
    X, y = [], []
    for d in range(10):
        for _ in range(per):
            g = distort(pen_digit(d, rng), rng, strength)
            if g is not None:
                X.append(features(g))
                y.append(d)
    return X, y


def digit_samples(fonts, per, rng, strength=1.0):
    X, y = [], []
    for fp in fonts:
        for d in range(10):
            for _ in range(per):
                a = render_text(fp, str(d), int(rng.integers(70, 110)), int(rng.integers(0, 3)))
                if d == 7 and rng.random() < 0.3:
                    a = european_seven(a, rng)
                g = distort(a, rng, strength)
                if g is not None:
                    X.append(features(g))
                    y.append(d)
    return X, y


def sklearn_samples(rng, copies):
    from sklearn.datasets import load_digits
    ds = load_digits()
    X, y = [], []
    for img, d in zip(ds.images, ds.target):
        base = cv2.resize((img * 16).clip(0, 255).astype(np.uint8), (48, 48), interpolation=cv2.INTER_CUBIC)
        for _ in range(copies):
            a = np.where(base > rng.uniform(60, 140), 255, 0).astype(np.uint8)
            g = distort(a, rng, 0.6)
            if g is not None:
                X.append(features(g))
                y.append(int(d))
    return X, y


# 5,000 real handwritten digits (20x20, 500 of each, a subset of NIST's MNIST) that Debian's
# opencv-doc ships for OpenCV's own digit tutorials. Every fifth writer's sample is held out.
OPENCV_DIGITS = "/usr/share/doc/opencv-doc/examples/data/digits.png"


def opencv_digits(held_out):
    """(image, digit) of the training four fifths, or of the held-out fifth."""
    sheet = cv2.imread(OPENCV_DIGITS, cv2.IMREAD_GRAYSCALE)
    if sheet is None:
        sys.exit("%s: not found (apt-get install opencv-doc)" % OPENCV_DIGITS)
    out = []
    for r in range(sheet.shape[0] // 20):
        for c in range(sheet.shape[1] // 20):
            if (c % 5 == 4) != held_out:
                continue
            out.append((sheet[r * 20:(r + 1) * 20, c * 20:(c + 1) * 20], r // 5))
    return out


def mnist_samples(rng, copies, held_out=False, strength=0.6, cross7=0.0):
    X, y = [], []
    for img, d in opencv_digits(held_out):
        base = cv2.resize(img, (60, 60), interpolation=cv2.INTER_CUBIC)
        for _ in range(copies):
            a = np.where(base > rng.uniform(70, 150), 255, 0).astype(np.uint8)
            if d == 7 and rng.random() < cross7:  # these writers' 7s are plain; Vietnamese hands cross theirs
                a = european_seven(a, rng)
            g = distort(a, rng, strength)
            if g is not None:
                X.append(features(g))
                y.append(int(d))
    return X, y


def scribble(rng):
    size = 120
    a = np.zeros((size, size), np.uint8)
    pts = rng.uniform(10, size - 10, (int(rng.integers(4, 12)), 2))
    t = np.linspace(0, 1, 60)
    # a smooth random curve through the points (Catmull-Rom-ish via interpolation)
    xs = np.interp(np.linspace(0, len(pts) - 1, 200), np.arange(len(pts)), pts[:, 0])
    ys = np.interp(np.linspace(0, len(pts) - 1, 200), np.arange(len(pts)), pts[:, 1])
    xs = cv2.GaussianBlur(xs.reshape(1, -1).astype(np.float32), (0, 0), 4).ravel()
    ys = cv2.GaussianBlur(ys.reshape(1, -1).astype(np.float32), (0, 0), 4).ravel()
    del t
    curve = np.stack([xs, ys], 1).astype(np.int32)
    cv2.polylines(a, [curve], False, 255, int(rng.integers(3, 9)))
    return a


def seal_fragment(rng):
    size = 160
    a = np.zeros((size, size), np.uint8)
    r = int(rng.integers(60, 300))
    cx, cy = int(rng.integers(-r, size + r)), int(rng.integers(-r, size + r))
    for k in range(int(rng.integers(1, 3))):
        cv2.circle(a, (cx, cy), r - k * int(rng.integers(8, 20)), 255, int(rng.integers(2, 7)))
    if rng.random() < 0.5:  # the seal's ring of letters
        star = render_text(PRINTED_FONTS[0], "".join(rng.choice(list("UBNDTỈHQẢGNÃI"), 3)), 40)
        g = crop(star)
        if g is not None:
            hh, ww = min(g.shape[0], size), min(g.shape[1], size)
            a[:hh, :ww] = np.maximum(a[:hh, :ww], g[:hh, :ww])
    return a[size // 4: 3 * size // 4, size // 4: 3 * size // 4]


def reject_samples(rng, n, fonts):
    X, y = [], []
    kinds = ["scribble", "seal", "printed", "pair", "blob", "fragment"]
    while len(X) < n:
        k = kinds[len(X) % len(kinds)]
        if k == "scribble":
            a = scribble(rng)
        elif k == "seal":
            a = seal_fragment(rng)
        elif k == "printed":
            n_ch = int(rng.integers(1, 3))
            a = render_text(PRINTED_FONTS[int(rng.integers(len(PRINTED_FONTS)))],
                            "".join(rng.choice(list(PRINTED_LETTERS), n_ch)), int(rng.integers(60, 100)))
        elif k == "pair":  # two digits touching, left unsplit: not one digit
            fp = fonts[int(rng.integers(len(fonts)))]
            a = render_text(fp, "%d%d" % tuple(rng.integers(0, 10, 2)), int(rng.integers(70, 100)), 2)
            g = crop(a)
            if g is None:
                continue
            a = cv2.resize(g, (max(2, int(g.shape[1] * rng.uniform(0.7, 0.95))), g.shape[0]))
        elif k == "fragment":  # part of a digit a stroke gap cut off: not a digit by itself
            fp = fonts[int(rng.integers(len(fonts)))]
            g = crop(render_text(fp, str(rng.choice([0, 2, 3, 5, 6, 8, 9])), int(rng.integers(70, 100)), 1))
            if g is None:
                continue
            h, w = g.shape
            f = rng.uniform(0.35, 0.6)
            side = int(rng.integers(4))
            a = [g[:, :max(2, int(w * f))], g[:, int(w * (1 - f)):], g[:max(2, int(h * f)), :], g[int(h * (1 - f)):, :]][side]
        else:
            a = np.zeros((100, 100), np.uint8)
            cv2.ellipse(a, (50, 50), (int(rng.integers(8, 45)), int(rng.integers(8, 45))), float(rng.uniform(0, 180)),
                        0, 360, 255, -1)
        g = distort(a, rng, 0.7) if k != "printed" else distort(a, rng, 0.2)
        if g is not None and g.shape[0] >= 4 and g.shape[1] >= 2:
            X.append(features(g))
            y.append(REJECT)
    return X, y


def write_model(path, mlp, mean, std, meta):
    W = mlp.coefs_
    B = mlp.intercepts_
    with open(path, "w") as f:
        f.write("# sohoa handwritten digit recogniser: models/digits.py (%s)\n" % json.dumps(meta, sort_keys=True))
        f.write("features %d\nlayers %d\n" % (len(mean), len(W)))
        f.write("mean " + " ".join("%.6g" % v for v in mean) + "\n")
        f.write("std " + " ".join("%.6g" % v for v in std) + "\n")
        for w, b in zip(W, B):
            f.write("layer %d %d\n" % w.shape)
            for row in w.T:  # one output unit a line
                f.write(" ".join("%.6g" % v for v in row) + "\n")
            f.write("bias " + " ".join("%.6g" % v for v in b) + "\n")


def held_out_images(out_dir, rng):
    """Grey images of digit strings in held-out fonts, distorted, for the unit test; labels.tsv."""
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    k = 0
    for fp in HELD_OUT:
        for _ in range(40):
            n = int(rng.integers(1, 5))
            text = "".join(str(int(d)) for d in rng.integers(0, 10, n))
            size = int(rng.integers(70, 100))
            height = int(rng.integers(24, 60))
            # digits written apart, as in a slot: each distorted on its own, of one hand's size
            glyphs = []
            for ch in text:
                g = distort(render_text(fp, ch, size, int(rng.integers(0, 3))), rng, 0.8, height)
                if g is None:
                    break
                glyphs.append(g)
            if len(glyphs) != len(text):
                continue
            hmax = max(g.shape[0] for g in glyphs)
            gap = max(3, hmax // 5)
            width = sum(g.shape[1] for g in glyphs) + gap * (len(glyphs) + 1)
            canvas = np.zeros((hmax + 2 * gap, width), np.uint8)
            x = gap
            for g in glyphs:
                y = gap + (hmax - g.shape[0]) // 2 + int(rng.integers(-2, 3))
                y = max(0, min(y, canvas.shape[0] - g.shape[0]))
                canvas[y:y + g.shape[0], x:x + g.shape[1]] = g
                x += g.shape[1] + gap
            name = "d%03d.png" % k
            cv2.imwrite(os.path.join(out_dir, name), 255 - canvas)
            rows.append((name, text, hmax))
            k += 1
    for i in range(30):  # not digits: a scribble, a seal's fragment
        a = scribble(rng) if i % 2 == 0 else seal_fragment(rng)
        g = distort(a, rng, 0.7)
        if g is None:
            continue
        canvas = np.pad(g, 8)
        name = "x%03d.png" % i
        cv2.imwrite(os.path.join(out_dir, name), 255 - canvas)
        rows.append((name, "-", int(rng.integers(30, 50))))
    # Glyphs as the recogniser takes them (ink 255, cropped) and their features as computed
    # here: the C++ features() must give the same numbers.
    with open(os.path.join(out_dir, "features.tsv"), "w") as f:
        for i in range(6):
            g = distort(pen_digit(i, rng), rng)
            cv2.imwrite(os.path.join(out_dir, "f%03d.png" % i), g)
            f.write("f%03d.png\t%s\n" % (i, " ".join("%.7g" % v for v in features(g))))
    with open(os.path.join(out_dir, "labels.tsv"), "w") as f:
        for name, text, height in rows:  # height: the printed line's beside the slot, in pixels
            f.write("%s\t%s\t%d\n" % (name, text, height))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "digits_mlp.txt"))
    ap.add_argument("--render-heldout", metavar="DIR")
    ap.add_argument("--per", type=int, default=70, help="renderings of each digit in each training font")
    ap.add_argument("--pen", type=int, default=700, help="pen-stroke renderings of each digit")
    ap.add_argument("--mnist", type=int, default=1, help="renderings of each of opencv-doc's real handwritten digits")
    ap.add_argument("--cross7", type=float, default=0.0, help="share of those 7s given a bar")
    ap.add_argument("--hidden", type=int, default=96)
    ap.add_argument("--iter", type=int, default=100)
    args = ap.parse_args()
    if args.render_heldout:
        held_out_images(args.render_heldout, np.random.default_rng(7))
        return
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(2026)
    X, y = digit_samples(TRAIN_FONTS, args.per, rng)
    X2, y2 = sklearn_samples(rng, 3)
    X4, y4 = pen_samples(args.pen, rng)
    X5, y5 = mnist_samples(rng, args.mnist, cross7=args.cross7)
    X3, y3 = reject_samples(rng, (len(X) + len(X2) + len(X4) + len(X5)) // 4, TRAIN_FONTS)
    X = np.array(X + X2 + X4 + X5 + X3, np.float32)
    y = np.array(y + y2 + y4 + y5 + y3)
    mean = X.mean(0)
    std = X.std(0) + 1e-3
    mlp = MLPClassifier(hidden_layer_sizes=(args.hidden,), alpha=1e-3, max_iter=args.iter, random_state=1, early_stopping=False)
    mlp.fit((X - mean) / std, y)

    hrng = np.random.default_rng(99)
    Xh, yh = digit_samples(HELD_OUT, 40, hrng, 0.8)
    Xr, yr = reject_samples(hrng, 600, HELD_OUT)
    Xh = np.array(Xh, np.float32)
    Xr = np.array(Xr, np.float32)
    P = mlp.predict_proba((Xh - mean) / std)
    pred, pmax = P.argmax(1), P.max(1)
    Pr = mlp.predict_proba((Xr - mean) / std)
    meta = {"train": len(y), "held_out_digits": len(yh), "held_out_rejects": len(yr)}
    print("training samples", len(y), "held-out digits", len(yh), "held-out non-digits", len(yr))
    print("held-out digits, top-1 accuracy: %.3f" % (pred == np.array(yh)).mean())
    yh = np.array(yh)
    for t in (0.5, 0.8, 0.9, 0.95, 0.98):
        read = (pred < REJECT) & (pmax >= t)  # read as a digit, surely enough
        right = read & (pred == yh)
        fa = ((Pr.argmax(1) < REJECT) & (Pr.max(1) >= t)).mean()
        print("p >= %.2f: digits read %.3f, of them right %.4f; non-digits read as a digit %.3f"
              % (t, read.mean(), right.sum() / max(read.sum(), 1), fa))
        meta["p%.2f" % t] = [round(float(read.mean()), 3), round(float(right.sum() / max(read.sum(), 1)), 4), round(float(fa), 3)]
    # Real hands never trained on: the held-out fifth of opencv-doc's digits.
    Xm, ym = mnist_samples(np.random.default_rng(5), 1, held_out=True)
    Pm = mlp.predict_proba((np.array(Xm, np.float32) - mean) / std)
    predm, pmaxm, ym = Pm.argmax(1), Pm.max(1), np.array(ym)
    for t in (0.9, 0.95, 0.98):
        read = (predm < REJECT) & (pmaxm >= t)
        right = read & (predm == ym)
        print("held-out real handwriting (%d digits), p >= %.2f: read %.3f, of them right %.4f"
              % (len(ym), t, read.mean(), right.sum() / max(read.sum(), 1)))
        meta["real_p%.2f" % t] = [round(float(read.mean()), 3), round(float(right.sum() / max(read.sum(), 1)), 4)]
    write_model(args.out, mlp, mean, std, meta)
    print("wrote", args.out, os.path.getsize(args.out), "bytes")


if __name__ == "__main__":
    sys.exit(main())

"""Phone photos of a curled công văn at a phone's distance: the page drawn by samples/generate.py
(a two-column header, a V/v subject under the number), its paper curled unevenly (one top
corner lifted off the table, so the lines there bow and tilt more than in the body), the whole
A4 sheet filling some 600-700 px across (about 75 dpi), out of focus, lit unevenly, saved as
JPEG. The truth is the page's own text lines and the document's metadata."""
import math
import sys

import numpy as np
from PIL import Image, ImageFilter

from sohoa_run import SAMPLES

sys.path.insert(0, str(SAMPLES))
import generate  # noqa: E402


def curl(a, rng, corner):
    """a (h, w) grey page, warped as paper curled with its `corner` ("left" or "right") top
    corner lifted: a gentle bow over the whole page, and near that corner a stronger lift that
    fades over about half the width and a third of the height."""
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = xx / w, yy / h
    bow = rng.uniform(0.004, 0.008) * h * np.sin(math.pi * u)
    near = (1 - u) if corner == "left" else u
    reach_x, reach_y = rng.uniform(0.45, 0.6), rng.uniform(0.28, 0.4)
    lift = rng.uniform(0.07, 0.09) * h * np.clip(near - (1 - reach_x), 0, None) ** 2 / reach_x ** 2 \
        * np.clip(1 - v / reach_y, 0, None) ** 1.5
    # the lifted corner also leans the sheet there: x pulled in a little towards the corner
    sx = lift * 0.3 * (1 if corner == "left" else -1)
    src_y = yy - bow * (0.5 + v) + lift
    src_x = xx + sx
    out, _ = generate._bilinear(a[..., None].astype(np.float32), src_x, src_y, np.float32(250))
    return out[..., 0]


def make(seed, family, path, width=640, curled=True):
    """Writes the photo to path; returns (page text, metadata). curled=False: the same page lying
    flat, lit and blurred alike."""
    generate.R.seed(seed)
    generate.NR = np.random.default_rng(seed)
    generate.BODY_FAMILIES = [family]
    try:
        doc = generate.gen_vbhc(generate.Ctx("hanh_chinh"), "cong_van")
    finally:
        generate.BODY_FAMILIES = None
    page = doc.pages[0]
    rng = np.random.default_rng(seed)
    a = np.asarray(generate.render_pil(page), dtype=np.float32)
    if curled:
        a = curl(a, rng, "left" if seed % 2 else "right")
    small = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).resize((width, round(a.shape[0] * width / a.shape[1])),
                                                                       Image.LANCZOS)
    s = np.asarray(small, dtype=np.float32)
    h, w = s.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1 - rng.uniform(0.1, 0.25) * (xx / w) - rng.uniform(0.0, 0.1) * (yy / h)
    paper = np.array([rng.uniform(225, 245), rng.uniform(220, 240), rng.uniform(205, 225)], dtype=np.float32)
    rgb = (s[..., None] / 255.0) * paper * light[..., None] + rng.normal(0, 3, (h, w, 1))
    im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.9, 1.1)))
    im.save(path, "JPEG", quality=75)
    return "\n".join(generate.nfc(x) for x in page.lines), doc.meta


if __name__ == "__main__":
    import pathlib
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for seed, fam in ((1, "LiberationSerif"), (2, "FreeSerif"), (3, "NotoSerif"), (4, "DejaVuSerif")):
        text, meta = make(seed, fam, out / f"curl-{seed}.jpg")
        (out / f"curl-{seed}.txt").write_text(text, encoding="utf-8")
        print(seed, fam, meta)

"""Printed văn bản whose number and day were written into their slots by hand ("Số: 27 /STP-VP",
"ngày 16 tháng 4 năm 2024"), drawn with PIL (300 dpi PNG) in handwriting fonts the digit
recogniser never trained on (models/digits.py HELD_OUT), in a pen's blue; and one whose slots hold
an illegible scrawl.

    /usr/bin/python3 tests/e2e/handwritten_pages.py OUT_DIR

EXPECTED says what a reader takes from each page; test_handwritten_slots.py runs sohoa over them.
"""
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

from layout_pages import A4, LEFT_C, MM, RIGHT_C, VARIANTS, Canvas, nd30_footer, nd30_top, nfc

HANDS = {"connect": "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
         "humor": "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"}
INK = (25, 45, 150)  # a ballpoint's blue
# page name: (variant, hand, number, day[, touching]); None for a scrawl in both slots. `touching`
# names the printed words the pen ran into: "so" (the number starts on "Số:"), "ngay" (the day
# starts on "ngày"), "thang" (the day ends on "tháng").
PAGES = {"hand-connect": ("a", "connect", "27", "16"),
         "hand-humor": ("b", "humor", "305", "9"),
         "scrawl": ("a", None, None, None),
         "touch-connect": ("a", "connect", "48", "23", ("so", "ngay")),
         "touch-humor": ("b", "humor", "52", "20", ("so", "thang"))}
# Pages whose month is written by hand too ("tháng ___ năm 2024"): page name -> month.
MONTH_BY_HAND = {"month-connect": "8", "month-humor": "6"}
PAGES.update({"month-connect": ("a", "connect", "64", "25"), "month-humor": ("b", "humor", "37", "28")})
EXPECTED = {
    "month-connect": {"so_ky_hieu": "64/STP-VP", "ngay_ban_hanh": "2024-08-25"},
    "month-humor": {"so_ky_hieu": "37/STP-VP", "ngay_ban_hanh": "2024-06-28"},
    "hand-connect": {"so_ky_hieu": "27/STP-VP", "ngay_ban_hanh": "2024-04-16"},
    "hand-humor": {"so_ky_hieu": "305/STP-VP", "ngay_ban_hanh": "2024-04-09"},
    "scrawl": {"so_ky_hieu": None, "ngay_ban_hanh": None},
    "touch-connect": {"so_ky_hieu": "48/STP-VP", "ngay_ban_hanh": "2024-04-23"},
    "touch-humor": {"so_ky_hieu": "52/STP-VP", "ngay_ban_hanh": "2024-04-20"},
}
BODY = ["Thực hiện Kế hoạch cải cách hành chính năm 2024, Sở Tư pháp đề nghị các",
        "phòng, đơn vị trực thuộc rà soát toàn bộ thủ tục hành chính đang thực hiện",
        "tại Bộ phận Một cửa và báo cáo kết quả về Văn phòng Sở."]


def write(d, x, baseline, text, font_path, size, rng, end=None):
    """Digits as a hand writes them: each a little turned and off the line, spaced unevenly; from
    x, or ending at `end` when given."""
    font = ImageFont.truetype(font_path, size)
    glyphs = []
    for ch in text:
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size // 2, size * 3 // 2), ch, font=font, fill=255, anchor="ls", stroke_width=1)
        glyph = glyph.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC)
        box = glyph.getbbox()
        if box:
            glyphs.append((glyph.crop(box), rng.randint(-6, 6), rng.randint(6, 16)))
    if end is not None:
        x = end - sum(g.width + sp for g, _, sp in glyphs) + glyphs[-1][2]
    for glyph, dy, sp in glyphs:
        d.bitmap((x, baseline - glyph.height + dy), glyph, fill=INK)
        x += glyph.width + sp


def ink_edge(c, x, y, text, font, right):
    """The printed text's ink edge (its rightmost or leftmost inked column) drawn at (x, y)."""
    mask = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(mask).text((x, y), nfc(text), font=font, fill=255, anchor="ls")
    box = mask.getbbox()
    return box[2] if right else box[0]


def scrawl(d, x, baseline, width, height, rng):
    """A loop-and-zigzag crossing the slot: ink where digits would be, none of them one."""
    pts = []
    for i in range(48):
        t = i / 47
        pts.append((x + t * width + 10 * math.sin(i * 1.7), baseline - height / 2 + height / 2 * math.sin(i * 0.9)))
    d.line(pts, fill=INK, width=5, joint="curve")


def page(name):
    v, hand, number, day, *touching = PAGES[name]
    touching = touching[0] if touching else ()
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, body, sp)
    rng = random.Random(name)
    st = c.step()
    y = nd30_top(c)
    slot = " " * 18  # the printed slots, left blank for the pen
    f = c.font()
    month = MONTH_BY_HAND.get(name)
    month_slot = " " * 10
    number_line, date_head = "Số:" + slot + "/STP-VP", "Khánh Hòa, ngày"
    date_tail = "tháng" + month_slot + "năm 2024" if month else "tháng 4 năm 2024"
    nx = LEFT_C - c.d.textlength(nfc(number_line), font=f) / 2
    c.text(nx, y, number_line)
    gap = c.d.textlength(slot, font=f)
    dw = c.d.textlength(nfc(date_head), font=f) + gap + c.d.textlength(nfc(date_tail), font=f)
    dx = RIGHT_C - dw / 2
    c.text(dx, y, date_head)
    c.text(dx + c.d.textlength(nfc(date_head), font=f) + gap, y, date_tail)
    y_slots = y
    y += st
    c.text(LEFT_C, y, "V/v rà soát thủ tục hành chính", align="center", size=c.body - 1)
    y += int(st * 2.8)
    c.text(int(80 * MM), y, "Kính gửi: Các phòng, đơn vị thuộc Sở")
    y += int(st * 2)
    for line in BODY:
        c.text(int(30 * MM), y, line)
        y += st
    nd30_footer(c, int(30 * MM), y + int(st * 1.5), "- Lưu: VT, VP.")

    img = c.img.convert("RGB")
    d = ImageDraw.Draw(img)
    size = int(f.size * 1.25)
    x_number = int(nx + c.d.textlength(nfc("Số:"), font=f) + 0.08 * gap)
    x_day = int(dx + c.d.textlength(nfc(date_head), font=f) + 0.2 * gap)
    # Touching: the pen's first (or last) digit overlaps the printed word's last (or first) letter.
    if "so" in touching:
        x_number = ink_edge(c, nx, y_slots, "Số:", f, True) - 3
    if "ngay" in touching:
        x_day = ink_edge(c, dx, y_slots, date_head, f, True) - 3
    day_end = None
    if "thang" in touching:
        day_end = ink_edge(c, dx + c.d.textlength(nfc(date_head), font=f) + gap, y_slots, date_tail, f, False) + 3
    if hand:
        write(d, x_number, y_slots, number, HANDS[hand], size, rng)
        write(d, x_day, y_slots, day, HANDS[hand], size, rng, end=day_end)
        if month:
            x_tail = dx + c.d.textlength(nfc(date_head), font=f) + gap
            x_month = int(x_tail + c.d.textlength(nfc("tháng"), font=f) + 0.25 * c.d.textlength(month_slot, font=f))
            write(d, x_month, y_slots, month, HANDS[hand], size, rng)
    else:
        scrawl(d, x_number, y_slots, int(gap * 0.7), size, rng)
        scrawl(d, x_day, y_slots, int(gap * 0.6), size, rng)
    c.img = img
    return c


def make(out):
    os.makedirs(out, exist_ok=True)
    names = []
    for name in PAGES:
        path = os.path.join(out, name + ".png")
        page(name).save(path)
        names.append(path)
    return names


if __name__ == "__main__":
    for p in make(sys.argv[1]):
        print(p)

"""Pages of văn bản as an office receives them, drawn with PIL (300 dpi PNG): an arrival stamp
("CV ĐẾN  Số: …  Ngày: …  Chuyển: …" in a ruled frame, in another ink and font) stamped over the
start of the body, in two fonts and spacings.

    /usr/bin/python3 tests/e2e/office_pages.py OUT_DIR     # writes OUT_DIR/stamped-<font>.png

EXPECTED says what a reader takes from each page; test_office_stamps.py runs sohoa over them.
"""
import os
import sys

from PIL import ImageFont

from layout_pages import A4, DPI, MM, VARIANTS, Canvas, nd30_footer, nd30_header, nfc

# The stamp's own letters, and the number and day a numbering stamp put on its dotted lines.
STAMP_FONTS = {"a": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
               "b": ("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
                     "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")}
STAMP_NUMBER, STAMP_DAY = "2352", "21/3/2024"
BODY = [
    ["Thực hiện Kế hoạch cải cách hành chính năm 2024,",
     "Sở Tư pháp đề nghị các phòng, đơn vị trực thuộc rà soát toàn bộ thủ tục hành",
     "chính đang thực hiện tại Bộ phận Một cửa và báo cáo kết quả trước ngày 30",
     "tháng 3 năm 2024."],
    ["Báo cáo nêu rõ số hồ sơ đã tiếp nhận, số hồ sơ giải quyết đúng hạn, quá hạn và",
     "những khó khăn, vướng mắc trong quá trình thực hiện để tổng hợp, báo cáo tỉnh."],
]
EXPECTED = {
    "so_ky_hieu": "318/STP-VP",
    "ngay_ban_hanh": "2024-03-18",
    "van_ban_den": {"so_den": STAMP_NUMBER, "ngay_den": "2024-03-21"},
    "body": [line for p in BODY for line in p],
}


def stamp(c, v, x, y):
    """The arrival stamp with its top-left corner at (x, y): a frame split in two, "CV ĐẾN" in
    the left cell, the number, the day and "Chuyển" on dotted lines in the right one."""
    ink = 40
    w, h = int(56 * MM), int(19 * MM)
    split = x + int(13 * MM)
    c.d.rectangle([x, y, x + w, y + h], outline=ink, width=4)
    c.d.line([(split, y), (split, y + h)], fill=ink, width=3)
    big = ImageFont.truetype(STAMP_FONTS[v][0], int(round(11 * DPI / 72)))
    small = ImageFont.truetype(STAMP_FONTS[v][0], int(round(9.5 * DPI / 72)))
    hand = ImageFont.truetype(STAMP_FONTS[v][1], int(round(10 * DPI / 72)))
    cx = (x + split) // 2
    c.d.text((cx, y + int(8 * MM)), nfc("CV"), font=big, fill=ink, anchor="ms")
    c.d.text((cx, y + int(15 * MM)), nfc("ĐẾN"), font=big, fill=ink, anchor="ms")
    tx = split + int(2 * MM)
    for k, (label, value) in enumerate((("Số:", STAMP_NUMBER), ("Ngày:", STAMP_DAY), ("Chuyển:", ""))):
        base = y + int((5.5 + 5.5 * k) * MM)
        lw = c.d.textlength(nfc(label), font=small)
        c.d.text((tx, base), nfc(label), font=small, fill=ink, anchor="ls")
        dots_x = tx + lw + int(1 * MM)
        while dots_x < x + w - int(3 * MM):  # the dotted line the clerk writes on
            c.d.ellipse([dots_x, base - 3, dots_x + 3, base], fill=ink)
            dots_x += int(1.2 * MM)
        if value:
            c.d.text((tx + lw + int(4 * MM), base - int(0.8 * MM)), value, font=hand, fill=ink, anchor="ls")


def stamped(v):
    """A công văn whose arrival stamp was put in the space left of the addressee and the body's
    first line, its last row on that line's baseline."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, body, sp)
    st = c.step()
    y = nd30_header(c, "Số: 318/STP-VP", "Khánh Hòa, ngày 18 tháng 3 năm 2024", "V/v rà soát thủ tục hành chính")
    y += int(st * 1.4)
    c.text(int(80 * MM), y, "Kính gửi: Các phòng, đơn vị thuộc Sở")
    y += int(st * 2.6)
    stamp_top = y - int(17 * MM)
    x0 = int(30 * MM)
    for i, p in enumerate(BODY):
        for k, line in enumerate(p):
            # The first line of a paragraph is indented; the first of all starts after the stamp.
            c.text(x0 + (int(40 * MM) if (i, k) == (0, 0) else int(12 * MM) if k == 0 else 0), y, line)
            y += st
        y += st // 2
    stamp(c, v, int(10 * MM), stamp_top)
    y += int(st * 1.5)
    nd30_footer(c, x0, y, "- Lưu: VT, VP.")
    return c


def make(out, variants=("a", "b")):
    os.makedirs(out, exist_ok=True)
    names = []
    for v in variants:
        path = os.path.join(out, f"stamped-{VARIANTS[v][0]}.png")
        stamped(v).save(path)
        names.append(path)
    return names


if __name__ == "__main__":
    for p in make(sys.argv[1]):
        print(p)

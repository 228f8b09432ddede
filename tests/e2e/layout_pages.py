"""Pages of the layouts sohoa's layout stage must read in order, drawn with PIL in several fonts
and spacings (300 dpi PNG), with what a reader expects of them.

    /usr/bin/python3 tests/e2e/layout_pages.py OUT_DIR     # writes OUT_DIR/<layout>-<font>.png

Each page is made from a font family and a spacing; the test (test_layout.py) runs sohoa over them
and checks the regions in record.json: their order and roles.
"""
import os
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

DPI = 300
MM = DPI / 25.4
FONTS = {
    "liberation": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                   "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"),
    "freeserif": ("/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
                  "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf"),
    "noto": ("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
             "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"),
    "dejavu": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
}
# Which font and spacing each variant uses: (family, body size in points, line spacing factor).
VARIANTS = {"a": ("liberation", 13, 1.45), "b": ("freeserif", 14, 1.3), "c": ("noto", 12, 1.5), "d": ("dejavu", 11.5, 1.35)}
# Variants whose pages go through a simulated scan (tinted paper, a slight tilt, the blur of a
# scanner's optics, sensor noise, JPEG), so the layout is also tested on pages that are not clean.
SCANNED = {"c": 0.6, "d": -0.8}  # variant: tilt in degrees


def nfc(s):
    return unicodedata.normalize("NFC", s)


class Canvas:
    def __init__(self, size, family, body, spacing):
        self.img = Image.new("L", size, 255)
        self.d = ImageDraw.Draw(self.img)
        self.family, self.body, self.spacing = family, body, spacing

    def font(self, bold=False, size=None):
        return ImageFont.truetype(FONTS[self.family][1 if bold else 0], int(round((size or self.body) * DPI / 72)))

    def step(self, size=None):
        return int((size or self.body) * DPI / 72 * self.spacing)

    def text(self, x, y, s, bold=False, size=None, align="left"):
        """Draws s with its baseline at y: left-aligned at x, or centred on x; returns its width."""
        f = self.font(bold, size)
        s = nfc(s)
        w = self.d.textlength(s, font=f)
        x0 = x - w / 2 if align == "center" else x
        self.d.text((x0, y), s, font=f, fill=0, anchor="ls")
        return w

    def save(self, path):
        self.img.info["dpi"] = (DPI, DPI)
        self.img.save(path, dpi=(DPI, DPI))


A4 = (2480, 3508)
A4_LAND = (3508, 2480)


LEFT_C, RIGHT_C = int(55 * MM), int(140 * MM)   # centres of the header's two columns


def nd30_top(c):
    """The header's first two rows: the authority (Sở Tư pháp under UBND tỉnh Khánh Hòa) beside
    the national motto. Returns the y of the row under them (the number and place-date row)."""
    y = int(20 * MM)
    st = c.step()
    c.text(LEFT_C, y, "UBND TỈNH KHÁNH HÒA", align="center")
    c.text(RIGHT_C, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center")
    y += st
    c.text(LEFT_C, y, "SỞ TƯ PHÁP", bold=True, align="center")
    c.text(RIGHT_C, y, "Độc lập - Tự do - Hạnh phúc", bold=True, align="center")
    return y + int(st * 1.6)


def nd30_header(c, number, place_date, subject):
    """Nghị định 30/2020's header for Sở Tư pháp Khánh Hòa: the authority block with the number
    and the "V/v" subject under it, beside the national motto with the place and date. Returns
    the y of the subject line."""
    st = c.step()
    y = nd30_top(c)
    c.text(LEFT_C, y, number, align="center")
    c.text(RIGHT_C, y, place_date, align="center")
    y += st
    c.text(LEFT_C, y, subject, align="center", size=c.body - 1)
    return y


def nd30_footer(c, x0, y, archive_line):
    """The recipients ("Nơi nhận:") at x0 beside the signature block of a deputy director, from
    y down; sets c.signature_y to the signer's title line."""
    st = c.step()
    c.text(x0, y, "Nơi nhận:", bold=True, size=c.body - 1)
    c.text(RIGHT_C, y, "KT. GIÁM ĐỐC", bold=True, align="center")
    y += c.step(c.body - 1)
    c.text(x0, y, "- Như trên;", size=c.body - 2)
    c.text(RIGHT_C, y, "PHÓ GIÁM ĐỐC", bold=True, align="center")
    c.signature_y = y
    y += c.step(c.body - 2)
    c.text(x0, y, archive_line, size=c.body - 2)
    y += int(st * 4)
    c.text(RIGHT_C, y, "Trần Văn Bình", bold=True, align="center")


def letter(v):
    """Nghị định 30/2020: authority block with number and subject beside the motto with place and
    date; title; body; recipients beside the signature."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, body, sp)
    st = c.step()
    y = nd30_header(c, "Số: 1234/STP-HCTP", "Khánh Hòa, ngày 08 tháng 4 năm 2024", "V/v cấp bản sao trích lục hộ tịch")
    y += int(st * 2.8)
    c.text(A4[0] // 2, y, "THÔNG BÁO", bold=True, size=body + 2, align="center")
    y += int(st * 1.8)
    x0 = int(30 * MM)
    paras = [
        ["Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014 và Nghị định số 123/2015/NĐ-CP",
         "ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết một số điều và biện",
         "pháp thi hành Luật Hộ tịch;"],
        ["Xét đề nghị của bà Nguyễn Thị Lan về việc cấp bản sao trích lục khai sinh,",
         "Sở Tư pháp thông báo hồ sơ đã được tiếp nhận và giải quyết đúng thời hạn quy",
         "định. Bản sao được trả tại Bộ phận Một cửa của Sở Tư pháp tỉnh Khánh Hòa."],
    ]
    for p in paras:
        for line in p:
            c.text(x0, y, line)
            y += st
        y += st // 2
    y += int(st * 1.5)
    nd30_footer(c, x0, y, "- Lưu: VT, HCTP.")
    return c


def table(v):
    """A title over a ruled table of four columns, read row by row."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, body, sp)
    y = int(30 * MM)
    c.text(A4[0] // 2, y, "DANH SÁCH HỘ GIA ĐÌNH ĐỀ NGHỊ HỖ TRỢ", bold=True, size=body + 1, align="center")
    y += int(c.step() * 2)
    cols = [int(25 * MM), int(40 * MM), int(105 * MM), int(135 * MM), int(185 * MM)]
    rows = [("STT", "Họ và tên", "Năm sinh", "Địa chỉ"), ("1", "Nguyễn Văn An", "1983", "Vĩnh Hải"),
            ("2", "Trần Thị Bích", "1979", "Phước Long"), ("3", "Lê Hoàng Nam", "1990", "Vĩnh Thọ"),
            ("4", "Phạm Thu Hà", "1968", "Ngọc Hiệp"), ("5", "Võ Minh Tuấn", "2001", "Lộc Thọ")]
    row_h = int(c.step() * 1.6)
    top = y
    for r, cells in enumerate(rows):
        base = y + int(row_h * 0.68)
        for k, cell in enumerate(cells):
            c.text(cols[k] + int(2 * MM), base, cell, bold=(r == 0))
        y += row_h
    for yy in range(top, y + 1, row_h):
        c.d.line([(cols[0], yy), (cols[-1], yy)], fill=0, width=3)
    for x in cols:
        c.d.line([(x, top), (x, y)], fill=0, width=3)
    y += int(c.step() * 2)
    c.text(int(25 * MM), y, "Danh sách gồm 05 hộ gia đình.")
    return c


def cards(v):
    """The front and the back of an ID card copied side by side on one sheet."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, 9, 1.35)
    cw, ch = int(85.6 * MM), int(54 * MM)
    top = int(40 * MM)
    for i, x in enumerate((int(15 * MM), int(110 * MM))):
        c.d.rounded_rectangle([x, top, x + cw, top + ch], radius=int(3 * MM), outline=80, width=4)
        y = top + int((8 if i == 0 else 11) * MM)  # the back's lines sit at their own heights
        lines = (["CĂN CƯỚC CÔNG DÂN", "Số: 079203004512", "Họ và tên: LÊ VĂN TÂM", "Ngày sinh: 01/02/1990",
                  "Giới tính: Nam   Quốc tịch: Việt Nam", "Quê quán: Vĩnh Hải, Nha Trang"] if i == 0 else
                 ["Đặc điểm nhân dạng: sẹo chấm", "cách 2cm dưới đuôi mắt trái", "Ngày 12 tháng 8 năm 2021",
                  "CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH", "Tô Văn Huệ"])
        for k, line in enumerate(lines):
            c.text(x + int(6 * MM), y, line, bold=(k == 0))
            y += c.step() if i == 0 else int(c.step() * 1.15)
    return c


def panels(v):
    """A bilingual certificate: the English panel at the left, the Vietnamese one at the right,
    each with its own line spacing."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4_LAND, fam, body, sp)
    half = A4_LAND[0] // 2
    en = ["SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness", "THE RECTOR OF",
          "NHA TRANG UNIVERSITY", "confers", "THE DEGREE OF BACHELOR", "upon Mr Nguyen Van An",
          "Date of birth: 15/10/1998", "Year of graduation: 2021", "Degree classification: Good"]
    vi = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "HIỆU TRƯỞNG",
          "TRƯỜNG ĐẠI HỌC NHA TRANG", "cấp", "BẰNG CỬ NHÂN", "cho ông Nguyễn Văn An",
          "Ngày sinh: 15/10/1998", "Năm tốt nghiệp: 2021", "Xếp loại tốt nghiệp: Khá"]
    for k, (lines, cx, spacing) in enumerate(((en, half // 2, 1.25), (vi, half + half // 2, 1.55))):
        y = int(30 * MM) + (0 if k == 0 else int(5 * MM))
        step = int(body * DPI / 72 * spacing * 1.2)
        for i, line in enumerate(lines):
            c.text(cx, y, line, bold=i in (0, 3, 5), align="center")
            y += step
    c.d.line([(half, int(20 * MM)), (half, A4_LAND[1] - int(20 * MM))], fill=120, width=2)
    return c


def sealed(v):
    """The letter with its red round seal pressed over the left of the signature block, its ring
    over the signer's title, as offices stamp them."""
    import math
    c = letter(v)
    page = c.img.convert("RGB")
    r = int(19 * MM)
    # Centre: left of the signature column (x = 140 mm), at the height of the signer's title.
    cx, cy = int(122 * MM), int(c.signature_y)
    mask = Image.new("L", page.size, 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=int(r * 0.06))
    ri = int(r * 0.7)
    d.ellipse((cx - ri, cy - ri, cx + ri, cy + ri), outline=255, width=int(r * 0.03))
    pts = [(cx + (r * 0.3 if k % 2 == 0 else r * 0.12) * math.sin(math.pi * k / 5),
            cy - (r * 0.3 if k % 2 == 0 else r * 0.12) * math.cos(math.pi * k / 5)) for k in range(10)]
    d.polygon(pts, fill=255)
    f = ImageFont.truetype(FONTS[c.family][1], int(r * 0.14))
    text = nfc("SỞ TƯ PHÁP * TỈNH KHÁNH HÒA *")
    for i, ch in enumerate(text):
        th = math.radians(-150 + 300 * (i + 0.5) / len(text))
        rr = (r + ri) / 2
        d.text((cx + rr * math.sin(th), cy - rr * math.cos(th)), ch, font=f, fill=255, anchor="mm")
    red = Image.new("RGB", page.size, (205, 25, 35))
    c.img = Image.composite(red, page, mask.point(lambda m: m * 85 // 100))
    return c


NUMBERED_ITEMS = [
    "Họ, chữ đệm và tên: PHẠM THỊ HỒNG NHUNG",
    "Ngày, tháng, năm sinh: 14/02/1987",
    "Giới tính: Nữ",
    "Số định danh cá nhân: 079187004512",
    "Số điện thoại liên hệ: 0912345678",
    "Họ, chữ đệm và tên chủ hộ: ĐỖ VĂN KIÊN",
    "Mối quan hệ với chủ hộ: Vợ",
    "Số định danh cá nhân của chủ hộ: 079084001236",
    "Nội dung đề nghị: Đăng ký thường trú",
]


def numbered(v):
    """A form whose items are numbered 1. to 9. down the left margin: a column of numbers that
    Tesseract's layout can take for one line of sideways text."""
    fam, body, sp = VARIANTS[v]
    c = Canvas(A4, fam, body, sp)
    st = c.step()
    y = int(25 * MM)
    c.text(A4[0] // 2, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center")
    y += st
    c.text(A4[0] // 2, y, "Độc lập - Tự do - Hạnh phúc", bold=True, align="center")
    y += int(st * 2.2)
    c.text(A4[0] // 2, y, "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ", bold=True, size=body + 2, align="center")
    y += int(st * 1.8)
    c.text(A4[0] // 2, y, "Kính gửi: Công an phường Tân Định, quận 1, thành phố Hồ Chí Minh", align="center")
    y += int(st * 1.6)
    x0 = int(30 * MM)
    for i, item in enumerate(NUMBERED_ITEMS, 1):
        w = c.text(x0, y, f"{i}. {item}")
        c.text(x0 + w + 12, y, "." * 24)  # the form's leader
        y += st
    y += st
    c.text(int(125 * MM), y, "Thành phố Hồ Chí Minh, ngày 12 tháng 3 năm 2024")
    return c


LAYOUTS = {"letter": letter, "table": table, "cards": cards, "panels": panels, "sealed": sealed, "numbered": numbered}


def scanned(page, tilt, seed):
    """The page as a flatbed scan of a printed copy would give it (kept at 300 dpi)."""
    import io
    import random

    from PIL import ImageChops, ImageFilter
    rng = random.Random(seed)
    img = page.img.convert("RGB") if isinstance(page, Canvas) else page.convert("RGB")
    img = ImageChops.multiply(img, Image.new("RGB", img.size, (242, 238, 226)))  # paper, not white
    img = img.rotate(tilt, resample=Image.BICUBIC, fillcolor=(242, 238, 226))
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    noise = Image.effect_noise(img.size, 14).convert("RGB")  # centred on 128
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.choice((55, 60, 65)))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def make(out, variants=("a", "b")):
    os.makedirs(out, exist_ok=True)
    names = []
    for name, fn in LAYOUTS.items():
        for v in variants:
            path = os.path.join(out, f"{name}-{VARIANTS[v][0]}.png")
            page = fn(v)
            if v in SCANNED:
                img = scanned(page, SCANNED[v], f"{name}-{v}")
                img.save(path, dpi=(DPI, DPI))
            else:
                page.save(path)
            names.append(path)
    return names


if __name__ == "__main__":
    for p in make(sys.argv[1], tuple(sys.argv[2].split(",")) if len(sys.argv) > 2 else ("a", "b")):
        print(p)

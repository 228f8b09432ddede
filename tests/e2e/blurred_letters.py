"""Công văn of people's committees photographed small and out of focus: a generator of its own,
apart from samples/generate.py, so that what sohoa learns from one is checked on another. Each
page is drawn with PIL in one of four serif families (Liberation Serif, the metric twin of the
Times New Roman NĐ 30/2020 prescribes; FreeSerif; Noto Serif; DejaVu Serif), shrunk to 600 or 700 px across
(about 65-75 dpi for A4), blurred, greyed and saved as JPEG at quality 60. The councils are real
units of the gazetteer (models/gazetteer.tsv), of several types. The truth is each page's
metadata."""
import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype"
FAMILIES = {
    "liberation": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf",
                   "liberation2/LiberationSerif-Italic.ttf"),
    "freeserif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf", "freefont/FreeSerifItalic.ttf"),
    "noto": ("noto/NotoSerif-Regular.ttf", "noto/NotoSerif-Bold.ttf", "noto/NotoSerif-Italic.ttf"),
    "dejavu": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf"),
}
# (the council's unit as its header prints it, the place named in the date line)
COUNCILS = [("HUYỆN ĐÔNG SƠN", "Đông Sơn"), ("HUYỆN QUẢNG XƯƠNG", "Quảng Xương"), ("THỊ XÃ NGHI SƠN", "Nghi Sơn"),
            ("HUYỆN KIẾN XƯƠNG", "Kiến Xương"), ("QUẬN HẢI CHÂU", "Hải Châu"), ("XÃ TÂN LẬP", "Tân Lập"),
            ("THÀNH PHỐ QUY NHƠN", "Quy Nhơn"), ("HUYỆN THẠCH THÀNH", "Thạch Thành")]
SUBJECT = ("V/v rà soát đối tượng hưởng", "chính sách hỗ trợ")
BODY = ["Thực hiện Nghị quyết số 42/NQ-CP ngày 09 tháng 4 năm 2020 của Chính phủ về các",
        "biện pháp hỗ trợ người dân gặp khó khăn do đại dịch Covid-19, Ủy ban nhân dân",
        "yêu cầu các đơn vị khẩn trương rà soát, tổng hợp danh sách đối tượng đủ điều kiện",
        "hưởng chính sách, gửi về Phòng Lao động - Thương binh và Xã hội trước ngày 20.",
        "Đề nghị các đơn vị nghiêm túc thực hiện./."]


def draw(council, place, family, number, day, month):
    """The A4 page at 200 dpi, grey (L)."""
    regular, bold, italic = (ImageFont.truetype(f"{FONT_DIR}/{p}", 34) for p in FAMILIES[family])
    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)

    def centred(x, y, text, font):
        d.text((x - d.textlength(text, font=font) / 2, y), text, font=font, fill=0)

    centred(420, 120, "ỦY BAN NHÂN DÂN", bold)
    centred(420, 165, council, bold)
    centred(1110, 120, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    centred(1110, 165, "Độc lập - Tự do - Hạnh phúc", bold)
    centred(420, 240, f"Số: {number}/UBND-VP", regular)
    centred(420, 285, SUBJECT[0], regular)
    centred(420, 325, SUBJECT[1], regular)
    centred(1110, 240, f"{place}, ngày {day} tháng {month} năm 2020", italic)
    centred(827, 420, "Kính gửi: Chủ tịch UBND các xã, thị trấn.", regular)
    y = 500
    for line in BODY:
        d.text((180, y), line, font=regular, fill=0)
        y += 52
    d.text((180, y + 40), "Nơi nhận:", font=bold, fill=0)
    d.text((180, y + 85), "- Như trên;", font=regular, fill=0)
    d.text((180, y + 125), "- Lưu: VT.", font=regular, fill=0)
    centred(1200, y + 40, "CHỦ TỊCH", bold)
    return img


def photograph(img, width, blur):
    """Shrunk to `width` px, out of focus, grey paper and grey ink, JPEG at quality 60."""
    small = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    small = small.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: int(60 + v * 0.6))
    buf = io.BytesIO()
    small.convert("RGB").save(buf, "JPEG", quality=60)
    return buf.getvalue()


def make(folder):
    """Every council in every family at two sizes into folder; returns {file name: truth}."""
    rng = random.Random(7)
    truth = {}
    k = 0
    for council, place in COUNCILS:
        for family in FAMILIES:
            for width, blur in ((600, 0.8), (700, 1.2)):
                number, day, month = rng.randint(100, 2999), rng.randint(1, 28), rng.randint(1, 12)
                name = f"{k:02d}-{family}-{width}.jpg"
                k += 1
                (folder / name).write_bytes(photograph(draw(council, place, family, number, day, month), width, blur))
                truth[name] = {"doc_type": "van_ban_hanh_chinh", "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN " + council,
                               "so_ky_hieu": f"{number}/UBND-VP", "ngay_ban_hanh": f"2020-{month:02d}-{day:02d}",
                               "trich_yeu": "rà soát đối tượng hưởng chính sách hỗ trợ"}
    return truth

// The layout stage: the regions of a page, their order and roles, and what a reader of text.txt
// sees for the layouts of Vietnamese administrative papers.
#include "layout/layout.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sohoa::layout {
namespace {

constexpr int kPageWidth = 1654;  // A4 at 200 dpi
constexpr int kCharWidth = 26;  // bold capitals of a header at 200 dpi
constexpr int kSpace = 10;  // an ordinary word space at this size
constexpr int kLineHeight = 34;

/// The page text as the layout reads it (A4, 200 dpi at kPageWidth, else 300 dpi), with the blank
/// lines between regions left out: these tests are about the order.
std::string reading_order_text(const OcrResult& ocr, int page_width) {
  const double dpi = page_width == kPageWidth ? 200 : 300;
  std::string text = text_of(ocr, analyze(ocr, page_width, page_width * 297 / 210, dpi));
  for (size_t at; (at = text.find("\n\n")) != std::string::npos;) text.erase(at, 1);
  return text;
}

/// One printed line: runs of words, each run starting at its own x (a run is what a typesetter
/// placed at one position: a column's text, a field value).
using TextRun = std::pair<int, std::string>;

int width_of(const std::string& text) {
  int chars = 0, words = 1;
  for (unsigned char c : text) {
    chars += (c & 0xC0) != 0x80 && c != ' ';
    words += c == ' ';
  }
  return chars * kCharWidth + (words - 1) * kSpace;
}

/// A run centred on x = centre, as the blocks of a header or a signature are printed.
TextRun centred(int centre, const std::string& text) { return {centre - width_of(text) / 2, text}; }

/// Appends one Tesseract line at height y: each run's words laid out from its x (widths by code
/// points: Vietnamese letters are 1–3 bytes), starting a new block when asked.
void add_line(OcrResult& ocr, int y, const std::vector<TextRun>& runs, bool new_block) {
  OcrLine line;
  int left = kPageWidth, right = 0;
  std::string line_text;
  for (const auto& [x0, text] : runs) {
    int x = x0;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      OcrWord w;
      w.text = text.substr(start, end - start);
      w.box = {x, y, width_of(w.text), kLineHeight};
      w.confidence = 95;
      w.line = static_cast<int>(ocr.lines.size());
      ocr.words.push_back(w);
      left = std::min(left, x);
      x += width_of(w.text) + kSpace;
      right = std::max(right, x - kSpace);
      line_text += (line_text.empty() ? "" : " ") + w.text;
      start = end + 1;
    }
  }
  line.box = {left, y, right - left, kLineHeight};
  line.baseline = y + kLineHeight;
  ocr.lines.push_back(line);
  if (!ocr.text.empty()) ocr.text += new_block ? "\n\n" : "\n";
  ocr.text += line_text;
}

/// Words with boxes, one Tesseract line per printed line, as the engine returns them: merged
/// across columns when the columns share a baseline.
OcrResult page_of(const std::vector<std::vector<TextRun>>& lines) {
  OcrResult ocr;
  int y = 100;
  for (const auto& runs : lines) {
    add_line(ocr, y, runs, /*new_block=*/false);
    y += 50;
  }
  return ocr;
}

TEST(ReadingOrder, HeaderWithNarrowGutterIsReadBlockByBlock) {
  // The national motto runs close to the authority block on the first line (a gap of ~2.5 word
  // spaces), wider below: both lines belong to the two blocks.
  const OcrResult ocr = page_of({
      {centred(477, "UBND TỈNH KHÁNH HÒA"), centred(1137, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")},
      {centred(477, "UBND THÀNH PHỐ"), centred(1137, "Độc lập - Tự do - Hạnh phúc")},
      {centred(477, "Số: 2644/QĐ-UBND"), centred(1137, "Nha Trang, ngày 08 tháng 4 năm 2021")},
      {centred(827, "QUYẾT ĐỊNH")},
  });
  // Sanity: the first line's gap is narrow (below the ordinary column gutter), the second's wide.
  const int gap = (1137 - width_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") / 2) - (477 + width_of("UBND TỈNH KHÁNH HÒA") / 2);
  ASSERT_GT(gap, kLineHeight / 2);
  ASSERT_LT(gap, kPageWidth / 20);
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "UBND TỈNH KHÁNH HÒA\nUBND THÀNH PHỐ\nSố: 2644/QĐ-UBND\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Nha Trang, ngày 08 tháng 4 năm 2021\nQUYẾT ĐỊNH");
}

TEST(ReadingOrder, CentredTitleUnderTheHeaderIsNotPulledIntoAColumn) {
  const OcrResult ocr = page_of({
      {centred(420, "UBND TỈNH"), centred(1100, "CỘNG HÒA XÃ HỘI")},
      {centred(420, "UBND HUYỆN"), centred(1100, "Độc lập - Tự do")},
      {centred(827, "QUYẾT ĐỊNH VỀ VIỆC")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "UBND TỈNH\nUBND HUYỆN\nCỘNG HÒA XÃ HỘI\nĐộc lập - Tự do\nQUYẾT ĐỊNH VỀ VIỆC");
}

TEST(ReadingOrder, FieldGridIsReadAcrossThenSignatureBlocksDown) {
  // A diploma: a grid of left-aligned fields, then the registry numbers at the left beside the
  // centred signature block at the right.
  const OcrResult ocr = page_of({
      {{640, "Ngày sinh: 15/10/1973"}, {1330, "Giới tính: Nữ"}},
      {{640, "Nơi sinh: Nghệ An"}, {1220, "Dân tộc: Kinh"}},
      {{640, "Ngành: Quản trị"}},
      {{640, "Hình thức: Chính quy"}, {1300, "Xếp loại: Khá"}},
      {centred(1450, "Khánh Hòa, ngày 26")},
      {{260, "Số hiệu: B3164780"}, centred(1450, "HIỆU TRƯỞNG")},
      {{260, "Số vào sổ: 3453/2019"}},
      {centred(1450, "Vũ Duy Tùng")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "Ngày sinh: 15/10/1973 Giới tính: Nữ\nNơi sinh: Nghệ An Dân tộc: Kinh\nNgành: Quản trị\n"
            "Hình thức: Chính quy Xếp loại: Khá\n"
            "Số hiệu: B3164780\nSố vào sổ: 3453/2019\nKhánh Hòa, ngày 26\nHIỆU TRƯỞNG\nVũ Duy Tùng");
}

TEST(ReadingOrder, RecipientListBesideTheSignatureIsReadBlockByBlock) {
  // "Nơi nhận" is left-aligned, the signature block is centred: two blocks, not a grid, even
  // with a speck recognised as "2" beside the list.
  const OcrResult ocr = page_of({
      {{252, "Nơi nhận:"}, centred(1210, "TM. ỦY BAN NHÂN DÂN")},
      {{253, "- Như trên;"}, centred(1210, "KT. CHỦ TỊCH")},
      {{253, "- Lưu: VT."}, {1226, "2"}},
      {centred(1210, "PHÓ CHỦ TỊCH")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\n2\nPHÓ CHỦ TỊCH");
}

TEST(ReadingOrder, SignatureBlockRunningOnBelowTheRecipientListIsReadDown) {
  const OcrResult ocr = page_of({
      {{228, "Nơi nhận:"}, centred(1215, "GIÁM ĐỐC")},
      {{229, "- Như trên;"}},
      {{229, "- Lưu: VT."}},
      {centred(1215, "Châu Diệu Hà")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth), "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nChâu Diệu Hà");
}

TEST(ReadingOrder, LabelsWithValuesFarRightAreReadAcross) {
  const OcrResult ocr = page_of({
      {{387, "Họ, chữ đệm, tên:"}, {1363, "Lý Trọng Đạt"}},
      {{387, "Nơi sinh:"}, {985, "Trung tâm Y tế tỉnh Khánh Hòa"}},
      {{387, "Quê quán:"}, {800, "Phường An Hòa, Cần Thơ"}},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "Họ, chữ đệm, tên: Lý Trọng Đạt\nNơi sinh: Trung tâm Y tế tỉnh Khánh Hòa\nQuê quán: Phường An Hòa, Cần Thơ");
}

TEST(ReadingOrder, FieldsAboveTheApplicantSignatureAreReadAcross) {
  const OcrResult ocr = page_of({
      {{233, "4. Hợp đồng số:"}, {730, "137/2024/HĐTC"}},
      {{233, "5. Phương thức nhận:"}, {760, "Trực tiếp"}},
      {centred(1185, "Nha Trang, ngày 13 tháng 09 năm 2024")},
      {centred(1185, "NGƯỜI YÊU CẦU")},
      {centred(1185, "Châu Hồng Ngọc")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "4. Hợp đồng số: 137/2024/HĐTC\n5. Phương thức nhận: Trực tiếp\n"
            "Nha Trang, ngày 13 tháng 09 năm 2024\nNGƯỜI YÊU CẦU\nChâu Hồng Ngọc");
}

TEST(ReadingOrder, PhotoSpecksBesideCardFieldsDoNotMakeColumns) {
  // A chip ID card: specks of the photo recognised as one or two letters left of the fields,
  // the expiry date under the photo below them.
  const OcrResult ocr = page_of({
      {{735, "-"}, {904, "Giới tính / Sex: Nam Quốc tịch: Việt Nam"}},
      {{694, "“£"}, {903, "Quê quán: Phường An Hòa,"}},
      {{680, "Ạ"}, {904, "Ninh Kiều, Cần Thơ"}},
      {centred(766, "Có giá trị đến:")},
      {centred(766, "23/08/2022")},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "- Giới tính / Sex: Nam Quốc tịch: Việt Nam\n“£ Quê quán: Phường An Hòa,\nẠ Ninh Kiều, Cần Thơ\n"
            "Có giá trị đến:\n23/08/2022");
}

TEST(ReadingOrder, ParagraphUnderColumnsIsNotCut) {
  // A justified body line after a two-column zone: its word spaces are stretched but far from a
  // gutter, so the zone ends there and the line stays whole.
  const OcrResult ocr = page_of({
      {centred(420, "UBND XÃ"), centred(1100, "CỘNG HÒA")},
      {centred(420, "Số: 12/UBND"), centred(1100, "Độc lập")},
      {{200, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"}},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "UBND XÃ\nSố: 12/UBND\nCỘNG HÒA\nĐộc lập\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015");
}

TEST(ReadingOrder, TableThatTesseractReadColumnByColumnIsReadRowByRow) {
  // A borderless table: Tesseract makes one block per column, so its lines come column by
  // column, each block after a blank line.
  const std::vector<std::string> names = {"Hoàng Khánh Thư", "Đỗ Hữu Quang Kiên", "Lý Ngọc Hạnh",
                                          "Tạ Thành Thắng", "Vũ Anh Việt", "Lâm Diệu Thư"};
  const std::vector<std::string> years = {"1967", "1950", "1962", "1994", "1965", "1996"};
  OcrResult ocr;
  auto add_block = [&](int x, const std::vector<std::string>& cells) {
    for (size_t r = 0; r < cells.size(); ++r) {
      OcrLine line;
      line.box = {x, 500 + 60 * static_cast<int>(r), static_cast<int>(cells[r].size()) * 14, kLineHeight};
      OcrWord w;
      w.text = cells[r];
      w.box = line.box;
      w.confidence = 95;
      w.line = static_cast<int>(ocr.lines.size());
      ocr.lines.push_back(line);
      ocr.words.push_back(w);
      if (!ocr.text.empty()) ocr.text += r == 0 ? "\n\n" : "\n";
      ocr.text += cells[r];
    }
  };
  add_block(320, names);
  add_block(780, years);
  const std::string text = reading_order_text(ocr, kPageWidth);
  EXPECT_EQ(text.substr(0, text.find('\n', text.find('\n') + 1)), "Hoàng Khánh Thư 1967\nĐỗ Hữu Quang Kiên 1950");
  EXPECT_NE(text.find("Lâm Diệu Thư 1996"), std::string::npos) << text;
}

TEST(ReadingOrder, TableRowsAreReadAcross) {
  std::vector<std::vector<TextRun>> lines;
  for (int i = 1; i <= 6; ++i)
    lines.push_back({{270, std::to_string(i) + " Nguyễn Văn An"}, {830, "1983 Phường Vĩnh Hải"}});
  const std::string text = reading_order_text(page_of(lines), kPageWidth);
  EXPECT_EQ(text.substr(0, text.find('\n', text.find('\n') + 1)),
            "1 Nguyễn Văn An 1983 Phường Vĩnh Hải\n2 Nguyễn Văn An 1983 Phường Vĩnh Hải");
}

TEST(ReadingOrder, BlockTesseractListsBeforeTheRowsAboveItComesAfterThem) {
  // A ruled table: Tesseract made its last row's cells blocks of their own and listed them
  // first. They belong under the rows above them.
  OcrResult ocr;
  add_line(ocr, 900, {{300, "6 Nguyễn Thị Hằng"}}, true);
  add_line(ocr, 900, {{900, "1992"}}, true);
  for (int r = 1; r <= 5; ++r)
    add_line(ocr, 420 + 80 * r, {{300, std::to_string(r) + " Lâm Thủy Uyên"}, {900, "1952"}}, r == 1);
  const std::string text = reading_order_text(ocr, kPageWidth);
  EXPECT_EQ(text.substr(0, text.find('\n')), "1 Lâm Thủy Uyên 1952") << text;
  EXPECT_EQ(text.substr(text.rfind('\n') + 1), "6 Nguyễn Thị Hằng 1992") << text;
}

/// A page as Tesseract returned it: per line its top, height and words with their x extents;
/// every line its own block when `blocks` is set.
struct BoxedWord {
  int left, right;
  std::string text;
};
OcrResult page_of_boxes(const std::vector<std::pair<std::pair<int, int>, std::vector<BoxedWord>>>& lines, bool blocks) {
  OcrResult ocr;
  for (const auto& [top_height, words] : lines) {
    const auto [top, height] = top_height;
    OcrLine line;
    line.box = {words.front().left, top, words.back().right - words.front().left, height};
    line.baseline = top + height;
    std::string text;
    for (const BoxedWord& bw : words) {
      OcrWord w;
      w.text = bw.text;
      w.box = {bw.left, top, bw.right - bw.left, height};
      w.confidence = 95;
      w.line = static_cast<int>(ocr.lines.size());
      ocr.words.push_back(w);
      text += (text.empty() ? "" : " ") + bw.text;
    }
    ocr.lines.push_back(line);
    if (!ocr.text.empty()) ocr.text += blocks ? "\n\n" : "\n";
    ocr.text += text;
  }
  return ocr;
}

TEST(ReadingOrder, CertificateFieldsWithValuesApartAreReadAcross) {
  // A landscape certificate at 300 dpi as Tesseract read it once the dotted leaders between
  // labels and values were cleaned away. The two right-hand fields share a centre by chance;
  // they are fields of the grid, not a block set beside it.
  const OcrResult ocr = page_of_boxes(
      {
          {{876, 64}, {{876, 987, "Cho:"}, {1086, 1160, "Đỗ"}, {1178, 1363, "Khánh"}, {1379, 1451, "Vy"}}},
          {{954, 57}, {{875, 1008, "Ngày"}, {1024, 1149, "sinh:"}, {1232, 1506, "18/10/1995"},
                       {1946, 2054, "Giới"}, {2070, 2190, "tính:"}, {2264, 2343, "Nữ"}}},
          {{1021, 61}, {{875, 1110, "Nơi"}, {1187, 1278, "sinh:"}, {1295, 1461, "Hải"},
                        {1915, 2020, "Dân"}, {2038, 2127, "tộc:"}, {2260, 2385, "Kinh"}}},
          {{1095, 58}, {{875, 942, "Đã"}, {960, 1094, "hoàn"}, {1111, 1266, "thành"}, {1284, 1347, "kỳ"},
                        {1363, 1434, "thi"}, {1451, 1590, "ngày:"}, {1774, 2050, "01/03/2021"}}},
      },
      /*blocks=*/true);
  EXPECT_EQ(reading_order_text(ocr, 3509),
            "Cho: Đỗ Khánh Vy\nNgày sinh: 18/10/1995 Giới tính: Nữ\nNơi sinh: Hải Dân tộc: Kinh\n"
            "Đã hoàn thành kỳ thi ngày: 01/03/2021");
}

TEST(ReadingOrder, BlockListedFirstButPrintedBelowOthersComesAfterThem) {
  // A diploma as Tesseract read it: it listed the registry number at the bottom left first.
  // Nothing above it shares its width, but it lies wholly below the header and the fields.
  const OcrResult ocr = page_of_boxes(
      {
          {{1430, 54}, {{329, 382, "Số"}, {399, 520, "hiệu:"}, {539, 772, "B9832439"}}},
          {{262, 64}, {{1202, 1354, "CỘNG"}, {1371, 1491, "HÒA"}, {1505, 1582, "XÃ"}, {1597, 1698, "HỘI"}}},
          {{911, 62}, {{900, 1004, "Cho:"}, {1202, 1376, "Huỳnh"}, {1392, 1498, "Kim"}, {1514, 1650, "Dung"}}},
          {{1134, 54}, {{899, 1072, "Ngành:"}, {1205, 1333, "Ngôn"}, {1349, 1446, "ngữ"}, {1458, 1560, "Anh"}}},
      },
      /*blocks=*/true);
  const std::string text = reading_order_text(ocr, 3509);
  EXPECT_EQ(text.substr(0, text.find('\n')), "CỘNG HÒA XÃ HỘI") << text;
  EXPECT_GT(text.find("Số hiệu: B9832439"), text.find("Ngành: Ngôn ngữ Anh")) << text;
}

TEST(ReadingOrder, DiplomaFooterReadsTheRegistryColumnThenTheSignature) {
  // The bottom of a diploma as Tesseract listed it: the registry number first, the last field
  // row with two "label: value" fields, then the signature block beside the registry numbers.
  const OcrResult ocr = page_of_boxes(
      {
          {{1430, 54}, {{329, 382, "Số"}, {399, 520, "hiệu:"}, {539, 772, "B9832439"}}},
          {{1203, 58}, {{899, 1020, "Hình"}, {1037, 1145, "thức"}, {1163, 1250, "đào"}, {1267, 1354, "tạo:"},
                        {1425, 1569, "Chính"}, {1587, 1679, "quy"}, {1894, 1985, "Xếp"}, {2002, 2093, "loại"},
                        {2108, 2172, "tốt"}, {2188, 2368, "nghiệp:"}, {2421, 2519, "Giỏi"}}},
          {{1339, 54}, {{2005, 2155, "Thanh"}, {2168, 2279, "Hóa,"}, {2300, 2412, "ngày"}, {2429, 2484, "13"},
                        {2503, 2681, "tháng"}, {2657, 2684, "3"}, {2698, 2801, "năm"}, {2816, 2932, "2023"}}},
          {{1400, 64}, {{2274, 2409, "HIỆU"}, {2423, 2660, "TRƯỞNG"}}},
          {{1500, 60}, {{329, 383, "Số"}, {399, 485, "vào"}, {504, 552, "sổ"}, {571, 653, "cấp"}, {669, 802, "bằng:"},
                        {820, 1064, "4126/2023"}}},
          {{1771, 54}, {{2239, 2440, "Trương"}, {2454, 2540, "Thị"}, {2556, 2694, "Oanh"}}},
      },
      /*blocks=*/true);
  std::string text = reading_order_text(ocr, 3509);
  EXPECT_EQ(text,
            "Hình thức đào tạo: Chính quy Xếp loại tốt nghiệp: Giỏi\nSố hiệu: B9832439\n"
            "Số vào sổ cấp bằng: 4126/2023\nThanh Hóa, ngày 13 tháng 3 năm 2023\nHIỆU TRƯỞNG\nTrương Thị Oanh");
}


/// Lines at given heights (pixels from the top), one Tesseract line each.
OcrResult page_at(const std::vector<std::pair<int, std::vector<TextRun>>>& lines) {
  OcrResult ocr;
  for (const auto& [y, runs] : lines) add_line(ocr, y, runs, /*new_block=*/false);
  return ocr;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

/// "role: first line" of every region, in reading order.
std::vector<std::string> roles_and_starts(const OcrResult& ocr, const std::vector<Region>& regions) {
  std::vector<std::string> out;
  for (const Region& r : regions) {
    std::string first = text_of(ocr, {r});
    out.push_back(std::string(role_name(r.role)) + ": " + first.substr(0, first.find('\n')));
  }
  return out;
}

TEST(Layout, OfficialLetterIsHeaderColumnsTitleBodyRecipientsSignature) {
  // Nghị định 30/2020: the authority block with its number and subject beside the national
  // motto with place and date; the title; the body; "Nơi nhận" beside the signature.
  const OcrResult ocr = page_at({
      {100, {centred(420, "UBND TỈNH KHÁNH HÒA"), centred(1150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")}},
      {150, {centred(420, "SỞ TƯ PHÁP"), centred(1150, "Độc lập - Tự do - Hạnh phúc")}},
      {210, {centred(420, "Số: 123/STP-HCTP"), centred(1150, "Khánh Hòa, ngày 08 tháng 4 năm 2021")}},
      {260, {centred(420, "V/v cấp bản sao trích lục")}},
      {420, {centred(827, "THÔNG BÁO")}},
      {520, {{160, "Căn cứ đề nghị của công dân về việc cấp bản sao,"}}},
      {570, {{160, "Sở Tư pháp thông báo kết quả giải quyết hồ sơ như"}}},
      {620, {{160, "sau: hồ sơ đã được tiếp nhận và giải quyết đúng hạn."}}},
      {900, {{160, "Nơi nhận:"}, centred(1200, "KT. GIÁM ĐỐC")}},
      {950, {{170, "- Như trên;"}, centred(1200, "PHÓ GIÁM ĐỐC")}},
      {1000, {{170, "- Lưu: VT."}}},
      {1200, {centred(1200, "Trần Văn Bình")}},
  });
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200);
  EXPECT_EQ(roles_and_starts(ocr, regions),
            (std::vector<std::string>{"header: UBND TỈNH KHÁNH HÒA", "header: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                      "title: THÔNG BÁO", "body: Căn cứ đề nghị của công dân về việc cấp bản sao,",
                                      "recipients: Nơi nhận:", "signature: KT. GIÁM ĐỐC"}));
  // The subject stays with the number, before the motto; the date with the motto.
  EXPECT_EQ(text_of(ocr, {regions.at(0)}), "UBND TỈNH KHÁNH HÒA\nSỞ TƯ PHÁP\nSố: 123/STP-HCTP\nV/v cấp bản sao trích lục");
  EXPECT_EQ(text_of(ocr, {regions.at(5)}), "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrần Văn Bình");
  for (size_t k = 0; k < regions.size(); ++k) EXPECT_EQ(regions[k].order, static_cast<int>(k));
}

TEST(Layout, TableIsOneRegionReadRowByRow) {
  std::vector<std::pair<int, std::vector<TextRun>>> lines = {{100, {centred(827, "DANH SÁCH")}}};
  for (int i = 1; i <= 5; ++i)
    lines.push_back({150 + 60 * i, {{170, std::to_string(i)}, {300, "Nguyễn Văn An"}, {900, "1983"}, {1150, "Vĩnh Hải"}}});
  const OcrResult ocr = page_at(lines);
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].role, RegionRole::title);
  EXPECT_EQ(regions[1].role, RegionRole::table);
  ASSERT_EQ(regions[1].lines.size(), 5u);
  EXPECT_EQ(regions[1].lines[0].cells.size(), 4u);
  EXPECT_TRUE(starts_with(text_of(ocr, {regions[1]}), "1 Nguyễn Văn An 1983 Vĩnh Hải\n2 ")) << text_of(ocr, {regions[1]});
}

TEST(Layout, TwoCardsSideBySideAreReadOneAfterTheOther) {
  // Two ID cards copied side by side at 200 dpi (a card is 674 x 425 px), the front's lines and
  // the back's at their own heights; both are left-aligned, so row by row would interleave them.
  const std::vector<std::string> front = {"CĂN CƯỚC CÔNG DÂN", "Số: 079203004512", "Họ và tên: Lê Văn Tâm",
                                          "Ngày sinh: 01/02/1990", "Giới tính: Nam"};
  const std::vector<std::string> back = {"Đặc điểm nhân dạng:", "Sẹo chấm cách 2cm", "Ngày 12 tháng 8 năm 2021",
                                         "CỤC TRƯỞNG CỤC CẢNH SÁT", "Tô Văn Huệ"};
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  for (size_t i = 0; i < front.size(); ++i) {
    lines.push_back({300 + 60 * static_cast<int>(i), {{120, front[i]}}});
    lines.push_back({335 + 60 * static_cast<int>(i), {{900, back[i]}}});
  }
  const OcrResult ocr = page_at(lines);
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].role, RegionRole::card);
  EXPECT_EQ(regions[1].role, RegionRole::card);
  EXPECT_EQ(text_of(ocr, {regions[0]}), "CĂN CƯỚC CÔNG DÂN\nSố: 079203004512\nHọ và tên: Lê Văn Tâm\n"
                                        "Ngày sinh: 01/02/1990\nGiới tính: Nam");
  EXPECT_TRUE(starts_with(text_of(ocr, {regions[1]}), "Đặc điểm nhân dạng:\nSẹo chấm")) << text_of(ocr, {regions[1]});
}

TEST(Layout, CardsFrontAboveBackAreTwoCards) {
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  for (int i = 0; i < 5; ++i) lines.push_back({200 + 55 * i, {{300, "Họ và tên: Lê Văn " + std::to_string(i)}}});
  for (int i = 0; i < 5; ++i) lines.push_back({900 + 55 * i, {{310, "Đặc điểm nhân dạng " + std::to_string(i)}}});
  const OcrResult ocr = page_at(lines);
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].role, RegionRole::card);
  EXPECT_EQ(regions[1].role, RegionRole::card);
  EXPECT_TRUE(starts_with(text_of(ocr, {regions[1]}), "Đặc điểm nhân dạng 0\n")) << text_of(ocr, {regions[1]});
}

TEST(Layout, BilingualPanelsAreReadOneAfterTheOther) {
  // A landscape diploma at 300 dpi, English at the left, Vietnamese at the right, each with its
  // own line spacing: their lines do not share heights.
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  for (int i = 0; i < 8; ++i) {
    lines.push_back({300 + 80 * i, {{200, "This is to certify that the holder of this diploma line " + std::to_string(i)}}});
    lines.push_back({340 + 80 * i, {{1850, "Chứng nhận người có tên dưới đây đã tốt nghiệp dòng " + std::to_string(i)}}});
  }
  const OcrResult ocr = page_at(lines);
  const std::vector<Region> regions = analyze(ocr, 3509, 2480, 300);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].role, RegionRole::panel);
  EXPECT_EQ(regions[1].role, RegionRole::panel);
  const std::string left = text_of(ocr, {regions[0]});
  EXPECT_EQ(left.substr(0, left.find('\n')), "This is to certify that the holder of this diploma line 0");
  EXPECT_EQ(left.substr(left.rfind('\n') + 1), "This is to certify that the holder of this diploma line 7");
  EXPECT_TRUE(starts_with(text_of(ocr, {regions[1]}), "Chứng nhận người có tên")) << text_of(ocr, {regions[1]});
}

TEST(Layout, TableWithWideGapIsNotCutIntoCards) {
  // Card-sized halves of a table, far apart: their rows line up, so they are one table.
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  for (int i = 0; i < 6; ++i)
    lines.push_back({300 + 60 * i, {{120, std::to_string(i) + " Nguyễn Văn"}, {900, "198" + std::to_string(i) + " Vĩnh Hải"}}});
  const OcrResult ocr = page_at(lines);
  for (const Region& r : analyze(ocr, kPageWidth, 2339, 200)) EXPECT_NE(r.role, RegionRole::card);
  EXPECT_TRUE(starts_with(reading_order_text(ocr, kPageWidth), "0 Nguyễn Văn 1980 Vĩnh Hải\n1 Nguyễn Văn 1981"))
      << reading_order_text(ocr, kPageWidth);
}

TEST(Layout, FieldGridIsNotCutIntoPanels) {
  // Labels and values in rows across a wide gap: a grid, read across, not two panels.
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  for (int i = 0; i < 8; ++i) lines.push_back({300 + 60 * i, {{200, "Họ tên người " + std::to_string(i) + ":"}, {1000, "Nguyễn Văn An"}}});
  const OcrResult ocr = page_at(lines);
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200);
  for (const Region& r : regions) EXPECT_NE(r.role, RegionRole::panel);
  EXPECT_TRUE(starts_with(reading_order_text(ocr, kPageWidth), "Họ tên người 0: Nguyễn Văn An\nHọ tên người 1:"))
      << reading_order_text(ocr, kPageWidth);
}


TEST(Layout, ColumnRunningOnFromTheLinesAboveIsReadBeforeTheBlockBesideIt) {
  // An ID card: the fields start above the block printed under the photo, at the same left
  // edge; they run on beside that block and are read to their end first.
  const OcrResult ocr = page_at({
      {100, {centred(800, "CỘNG HÒA XÃ HỘI")}},
      {150, {{500, "Số: 056092226023"}}},
      {200, {{500, "Họ và tên:"}}},
      {250, {{500, "Quê quán:"}}},
      {300, {centred(200, "Có giá trị đến:"), {500, "phường Ngọc Hà"}}},
      {350, {centred(200, "Date of expiry:"), {500, "Nơi thường trú:"}}},
      {400, {centred(200, "23/08/2032"), {500, "số 135 đường Trần Phú"}}},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "CỘNG HÒA XÃ HỘI\nSố: 056092226023\nHọ và tên:\nQuê quán:\nphường Ngọc Hà\nNơi thường trú:\n"
            "số 135 đường Trần Phú\nCó giá trị đến:\nDate of expiry:\n23/08/2032");
}


TEST(Layout, HeaderWhoseBlocksAlmostTouchKeepsItsSubjectWithTheNumber) {
  // Long names wrap in both blocks; on the first line the two blocks are a few word spaces
  // apart, and the subject under the number is wider than the authority's lines.
  const OcrResult ocr = page_at({
      {100, {centred(440, "UBND TỈNH BÌNH ĐỊNH"), centred(1040, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT")}},
      {150, {centred(440, "UBND THÀNH PHỐ QUY"), centred(1040, "NAM")}},
      {200, {centred(440, "NHƠN"), centred(1040, "Độc lập - Tự do - Hạnh phúc")}},
      {250, {centred(440, "Số: 4709/UBND-TP"), centred(1040, "Quy Nhơn, ngày 21 tháng 10")}},
      {300, {centred(440, "V/v đôn đốc cập nhật dữ liệu hộ tịch")}},
      {350, {centred(440, "lên Cơ sở dữ liệu hộ tịch")}},
      {450, {{160, "Kính gửi: UBND các xã, phường, thị trấn thuộc thành phố;"}}},
  });
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "UBND TỈNH BÌNH ĐỊNH\nUBND THÀNH PHỐ QUY\nNHƠN\nSố: 4709/UBND-TP\nV/v đôn đốc cập nhật dữ liệu hộ tịch\n"
            "lên Cơ sở dữ liệu hộ tịch\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\nNAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Quy Nhơn, ngày 21 tháng 10\nKính gửi: UBND các xã, phường, thị trấn thuộc thành phố;");
}


TEST(Layout, LineFarBelowTheRestOfItsBlockIsPlacedWhereItIs) {
  // Tesseract put the registry number, printed under the signature, in the block of the list
  // above the signature: it is read after the signature, where it stands.
  OcrResult ocr;
  add_line(ocr, 100, {{160, "6. Ghi chú: không"}}, true);
  add_line(ocr, 600, {{160, "Số vào sổ cấp GCN: CS 03759"}}, false);
  add_line(ocr, 160, {centred(1200, "Đà Nẵng, ngày 03 tháng 03")}, true);
  add_line(ocr, 210, {centred(1200, "PHÓ CHỦ TỊCH")}, false);
  add_line(ocr, 500, {centred(1200, "Võ Ngọc Tuyết")}, false);
  EXPECT_EQ(reading_order_text(ocr, kPageWidth),
            "6. Ghi chú: không\nĐà Nẵng, ngày 03 tháng 03\nPHÓ CHỦ TỊCH\nVõ Ngọc Tuyết\nSố vào sổ cấp GCN: CS 03759");
}

}  // namespace
}  // namespace sohoa::layout

// ------------------------------------------------------------------ card outlines

#include <opencv2/imgproc.hpp>

#include "core/image.h"
#include "layout/frames.h"

namespace sohoa::layout {
namespace {

/// A white A4 page at `dpi` with ID-1 cards (85.6 x 54 mm, rounded corners) outlined at the
/// given top-left corners in mm, scaled by `scale` as a copier would.
Image page_with_cards(double dpi, const std::vector<cv::Point2d>& at_mm, double scale = 1.0, int thickness = 3) {
  const double mm = dpi / 25.4;
  cv::Mat page(static_cast<int>(297 * mm), static_cast<int>(210 * mm), CV_8U, cv::Scalar(255));
  for (const cv::Point2d& p : at_mm) {
    const int x = static_cast<int>(p.x * mm), y = static_cast<int>(p.y * mm);
    const int w = static_cast<int>(85.6 * scale * mm), h = static_cast<int>(54 * scale * mm), r = static_cast<int>(3.2 * mm);
    cv::line(page, {x + r, y}, {x + w - r, y}, 90, thickness);
    cv::line(page, {x + r, y + h}, {x + w - r, y + h}, 90, thickness);
    cv::line(page, {x, y + r}, {x, y + h - r}, 90, thickness);
    cv::line(page, {x + w, y + r}, {x + w, y + h - r}, 90, thickness);
    cv::ellipse(page, {x + r, y + r}, {r, r}, 180, 0, 90, 90, thickness);
    cv::ellipse(page, {x + w - r, y + r}, {r, r}, 270, 0, 90, 90, thickness);
    cv::ellipse(page, {x + r, y + h - r}, {r, r}, 90, 0, 90, 90, thickness);
    cv::ellipse(page, {x + w - r, y + h - r}, {r, r}, 0, 0, 90, 90, thickness);
    // Some print inside, as on a card.
    for (int k = 0; k < 5; ++k)
      cv::putText(page, "SO 079203004512", {x + static_cast<int>(6 * mm), y + static_cast<int>((12 + 7 * k) * mm)},
                  cv::FONT_HERSHEY_SIMPLEX, dpi / 300.0, 0, 2);
  }
  return mat_to_gray(page);
}

TEST(CardOutlines, CardsSideBySideAndStackedAreFoundWithTheirSize) {
  for (double dpi : {200.0, 300.0}) {
    const Image page = page_with_cards(dpi, {{15, 40}, {110, 40}, {60, 150}});
    const std::vector<Box> cards = card_outlines(page, dpi);
    ASSERT_EQ(cards.size(), 3u) << dpi;
    const double mm = dpi / 25.4;
    for (const Box& b : cards) {
      EXPECT_NEAR(b.w / mm, 85.6, 2.5) << dpi;
      EXPECT_NEAR(b.h / mm, 54, 2.5) << dpi;
    }
  }
}

TEST(CardOutlines, ACopyReducedOrEnlargedIsStillACard) {
  for (double scale : {0.9, 1.15}) EXPECT_EQ(card_outlines(page_with_cards(300, {{20, 30}}, scale, 2), 300).size(), 1u) << scale;
}

TEST(CardOutlines, RuledTableAndTextAreNoCards) {
  const double dpi = 300, mm = dpi / 25.4;
  cv::Mat page(static_cast<int>(297 * mm), static_cast<int>(210 * mm), CV_8U, cv::Scalar(255));
  // A table of 4 x 5 cells, 40 x 12 mm each, and a ruled box of a card's width but half its height.
  for (int r = 0; r <= 5; ++r) cv::line(page, {int(20 * mm), int((40 + 12 * r) * mm)}, {int(180 * mm), int((40 + 12 * r) * mm)}, 0, 3);
  for (int c = 0; c <= 4; ++c) cv::line(page, {int((20 + 40 * c) * mm), int(40 * mm)}, {int((20 + 40 * c) * mm), int(100 * mm)}, 0, 3);
  cv::rectangle(page, {int(20 * mm), int(150 * mm)}, {int(105 * mm), int(177 * mm)}, 0, 3);
  for (int k = 0; k < 12; ++k)
    cv::putText(page, "Can cu Luat Ho tich ngay 20 thang 11 nam 2014 va Nghi dinh", {int(20 * mm), int((200 + 6 * k) * mm)},
                cv::FONT_HERSHEY_SIMPLEX, 1.0, 0, 2);
  EXPECT_TRUE(card_outlines(mat_to_gray(page), dpi).empty());
}

TEST(Layout, CardsWhoseLinesLineUpAreReadOneByOneByTheirOutlines) {
  // Two cards side by side whose lines happen to share heights: without their outlines they read
  // as a table, across; with them, card after card.
  std::vector<std::pair<int, std::vector<TextRun>>> lines;
  const char* front[] = {"Số: 079203004512", "Họ và tên: LÊ VĂN TÂM", "Ngày sinh: 01/02/1990", "Quê quán: Vĩnh Hải"};
  const char* back[] = {"Đặc điểm nhân dạng: sẹo", "Ngày 12 tháng 8 năm 2021", "CỤC TRƯỞNG CỤC CẢNH SÁT", "Tô Văn Huệ"};
  for (int i = 0; i < 4; ++i) lines.push_back({360 + 60 * i, {{160, front[i]}, {900, back[i]}}});
  const OcrResult ocr = page_at(lines);
  const std::vector<Box> outlines = {{120, 320, 675, 425}, {860, 320, 675, 425}};  // 85.7 x 54 mm at 200 dpi
  const std::vector<Region> regions = analyze(ocr, kPageWidth, 2339, 200, outlines);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].role, RegionRole::card);
  EXPECT_EQ(regions[1].role, RegionRole::card);
  EXPECT_EQ(text_of(ocr, regions),
            "Số: 079203004512\nHọ và tên: LÊ VĂN TÂM\nNgày sinh: 01/02/1990\nQuê quán: Vĩnh Hải\n\n"
            "Đặc điểm nhân dạng: sẹo\nNgày 12 tháng 8 năm 2021\nCỤC TRƯỞNG CỤC CẢNH SÁT\nTô Văn Huệ");
  EXPECT_NE(analyze(ocr, kPageWidth, 2339, 200)[0].role, RegionRole::card);  // what the outlines change
}

}  // namespace
}  // namespace sohoa::layout

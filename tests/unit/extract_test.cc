#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "classify/classify.h"
#include "cls_test_util.h"
#include "extract/extract.h"
#include "extract/fields.h"
#include "classify/qr.h"

using namespace sohoa;
using testutil::doc_of;
using testutil::make_page;

namespace {
std::map<std::string, std::string> run(const std::vector<Page>& pages, std::string* type = nullptr) {
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  if (type) *type = c.doc_type;
  std::map<std::string, std::string> out;
  for (auto& [k, v] : extract::extract(d, pages, c)) out[k] = v.value;
  return out;
}
}  // namespace

TEST(Extract, ThongBaoOfAMinistry) {
  std::vector<Page> pages = {make_page({
      "BỘ TƯ PHÁP || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "|| Độc lập - Tự do - Hạnh phúc",
      "Số: 1135/TB-BTP || Hà Nội, ngày 09 tháng 04 năm 2015",
      "^THÔNG BÁO",
      "^V/v hoán đổi ngày nghỉ, ngày đi làm bù dịp nghỉ lễ",
      "^Giỗ Tổ Hùng Vương, Ngày Chiến thắng 30/4",
      "Kính gửi: Thủ trưởng các đơn vị thuộc Bộ",
      "Thực hiện Thông báo số 4724/TB-LĐTBXH ngày 11 tháng 12 năm 2014 của Bộ Lao động",
  })};
  std::string type;
  auto m = run(pages, &type);
  EXPECT_EQ(type, "van_ban_hanh_chinh");
  EXPECT_EQ(m["so_ky_hieu"], "1135/TB-BTP");
  EXPECT_EQ(m["ngay_ban_hanh"], "2015-04-09");
  EXPECT_EQ(m["co_quan_ban_hanh"], "BỘ TƯ PHÁP");
  EXPECT_EQ(m["trich_yeu"], "hoán đổi ngày nghỉ, ngày đi làm bù dịp nghỉ lễ Giỗ Tổ Hùng Vương, Ngày Chiến thắng 30/4");
  EXPECT_EQ(m.count("ho_ten"), 0u);
}

TEST(Extract, ABodyLineOpeningWithVeViecIsNoSubject) {
  // The báo cáo's subject is the line under its title; a body sentence citing another paper wraps
  // so that a line opens with "về việc", which is that paper's subject, not this one's.
  std::vector<Page> pages = {make_page({
      "UBND HUYỆN CAM LÂM || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "|| Độc lập - Tự do - Hạnh phúc",
      "Số: 215/BC-UBND || Cam Lâm, ngày 20 tháng 3 năm 2024",
      "^BÁO CÁO",
      "^Kết quả giải quyết thủ tục hành chính quý I năm 2024",
      "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của Ủy ban nhân dân huyện Cam Lâm",
      "về việc kiểm tra công tác giải quyết thủ tục hành chính năm 2024, Ủy ban nhân dân",
      "huyện báo cáo kết quả như sau:",
  })};
  std::string type;
  auto m = run(pages, &type);
  EXPECT_EQ(type, "van_ban_hanh_chinh");
  EXPECT_EQ(m["trich_yeu"], "Kết quả giải quyết thủ tục hành chính quý I năm 2024");
}

// Debug helper: SOHOA_DEBUG_TEXT=file prints what classify+extract make of a text file.
TEST(Extract, DebugTextFile) {
  const char* p = std::getenv("SOHOA_DEBUG_TEXT");
  if (!p) GTEST_SKIP();
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> lines;
  std::string l;
  while (std::getline(ss, l)) lines.push_back(l);
  std::vector<Page> pages = {make_page(lines)};
  pages[0].ocr.words.clear();
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  std::cout << c.doc_type << " " << c.confidence << " " << c.method << "\n";
  for (auto& e : c.evidence) std::cout << "  " << e << "\n";
  for (auto& [k, v] : extract::extract(d, pages, c)) std::cout << k << " = " << v.value << "\n";
}

// Evaluation helper: SOHOA_REEVAL_DIR=OUT re-runs classify+extract on every OUT/records/*/ and
// writes reeval.json beside each record.json, so extraction can be iterated on without OCR. It
// reads the words with their boxes from alto.xml (page sizes and dpi from record.json) and falls
// back to text.txt (no boxes). Page images are not kept, so the ID card QR code is not read.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
namespace {
std::string xml_unescape(std::string s) {
  static const std::pair<const char*, const char*> ents[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (auto [e, c] : ents)
    for (size_t i = 0; (i = s.find(e, i)) != std::string::npos; i += std::string(c).size())
      s.replace(i, std::string(e).size(), c);
  return s;
}

std::vector<Page> pages_from_alto(const std::string& alto, const nlohmann::json& rec) {
  std::vector<Page> pages;
  static const std::regex re_page(R"re(<Page ID="[^"]*" PHYSICAL_IMG_NR="\d+" PRINTED_IMG_NR="(\d+)" WIDTH="(\d+)" HEIGHT="(\d+)")re");
  static const std::regex re_line(R"re(<TextLine )re");
  static const std::regex re_word(
      R"re(<String ID="[^"]*" HPOS="(-?\d+)" VPOS="(-?\d+)" WIDTH="(\d+)" HEIGHT="(\d+)" CONTENT="([^"]*)" WC="([0-9.]+)"/>)re");
  std::istringstream in(alto);
  int line = -1;
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, re_page)) {
      Page p;
      p.info.number = std::stoi(m[1]);
      p.image.width = std::stoi(m[2]);
      p.image.height = std::stoi(m[3]);
      for (const auto& pj : rec["pages"])
        if (pj["number"] == p.info.number) {
          p.info.dpi = pj.value("dpi", 300.0);
          p.info.blank = pj.value("blank", false);
          p.info.text_source = pj.value("text_source", "ocr");
          p.info.ocr_confidence = pj.value("ocr_confidence", 0.0);
        }
      pages.push_back(p);
      line = -1;
      continue;
    }
    if (pages.empty() || !std::regex_search(l, re_line)) continue;
    ++line;
    Page& p = pages.back();
    p.ocr.lines.push_back({});
    std::string text_line;
    for (std::sregex_iterator it(l.begin(), l.end(), re_word), end; it != end; ++it) {
      const std::smatch& w = *it;
      OcrWord ow{xml_unescape(w[5]), {std::stoi(w[1]), std::stoi(w[2]), std::stoi(w[3]), std::stoi(w[4])},
                 static_cast<float>(std::stod(w[6]) * 100), line};
      text_line += (text_line.empty() ? "" : " ") + ow.text;
      p.ocr.words.push_back(ow);
    }
    p.ocr.text += (p.ocr.text.empty() ? "" : "\n") + text_line;
  }
  for (Page& p : pages) p.regions = layout::analyze(p.ocr, p.image.width, p.image.height, p.info.dpi);
  return pages;
}
}  // namespace

TEST(Extract, ReevalRecords) {
  const char* dir = std::getenv("SOHOA_REEVAL_DIR");
  if (!dir) GTEST_SKIP();
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir) / "records")) {
    std::vector<Page> pages;
    std::ifstream alto_in(e.path() / "alto.xml"), rec_in(e.path() / "record.json");
    if (alto_in && rec_in) {
      std::stringstream as;
      as << alto_in.rdbuf();
      nlohmann::json rec = nlohmann::json::parse(rec_in);
      pages = pages_from_alto(as.str(), rec);
    } else {
      std::ifstream in(e.path() / "text.txt");
      if (!in) continue;
      std::stringstream ss;
      ss << in.rdbuf();
      std::string all = ss.str();
      size_t start = 0;
      int n = 0;
      while (start <= all.size()) {
        size_t f = all.find('\f', start);
        if (f == std::string::npos) f = all.size();
        Page p;
        p.info.number = ++n;
        p.ocr.text = all.substr(start, f - start);
        pages.push_back(p);
        start = f + 1;
      }
    }
    Document d = doc_of(pages);
    for (size_t i = 0; i < pages.size(); ++i)
      if (pages[i].info.blank) d.pages.erase(std::find(d.pages.begin(), d.pages.end(), static_cast<int>(i)));
    Classification c = classify::classify(d, pages);
    nlohmann::json j;
    j["doc_type"] = c.doc_type;
    j["class"] = c.cls;
    j["classification"] = {{"confidence", c.confidence}, {"evidence", c.evidence}, {"review", c.review}};
    nlohmann::json meta = nlohmann::json::object();
    for (auto& [k, v] : extract::extract(d, pages, c)) meta[k] = v.value;
    j["metadata"] = meta;
    std::ofstream(e.path() / "reeval.json") << j.dump(1);
  }
}

namespace {
std::vector<Page> one(const std::vector<std::string>& l, bool card = false) { return {make_page(l, card)}; }
}  // namespace

TEST(Extract, QuyetDinhOfADistrict) {
  auto m = run(one({"UBND TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "UBND THÀNH PHỐ NHA TRANG || Độc lập - Tự do - Hạnh phúc",
                    "Sổ: 2O5 / QĐ-UBND || Nha Trang, ngày 14 tháng 6 năm 2023", "^QUYẾT ĐỊNH",
                    "^Về việc hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình",
                    "^ông Nguyễn Văn An", "^CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ NHA TRANG",
                    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"}));
  EXPECT_EQ(m["so_ky_hieu"], "205/QĐ-UBND");
  EXPECT_EQ(m["ngay_ban_hanh"], "2023-06-14");
  EXPECT_EQ(m["co_quan_ban_hanh"], "UBND THÀNH PHỐ NHA TRANG");  // not the parent line
  EXPECT_EQ(m["trich_yeu"], "hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình ông Nguyễn Văn An");
  EXPECT_EQ(m["ho_ten"], "Nguyễn Văn An");
}

TEST(Extract, TwoLineAuthorityIsJoined) {
  auto m = run(one({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "PHƯỜNG VĨNH HẢI || Độc lập - Tự do - Hạnh phúc",
                    "So: 88/UBND-TP || Vĩnh Hải, ngày 02 tháng 01 năm 2024",
                    "^GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
                    "Họ, chữ đệm, tên:......... TRẦN THỊ MAI............",
                    "Ngày, tháng, năm sinh:....... 05/11/1990.......",
                    "Giấy tờ tùy thân: CCCD số 056190012345, cấp ngày 01/02/2021"}));
  EXPECT_EQ(m["co_quan_ban_hanh"], "ỦY BAN NHÂN DÂN PHƯỜNG VĨNH HẢI");
  EXPECT_EQ(m["so_ky_hieu"], "88/UBND-TP");
  EXPECT_EQ(m["ngay_ban_hanh"], "2024-01-02");
  EXPECT_EQ(m["ho_ten"], "Trần Thị Mai");
  EXPECT_EQ(m["ngay_sinh"], "1990-11-05");
  EXPECT_EQ(m["so_dinh_danh"], "056190012345");
}

TEST(Extract, AHandwrittenNumberLeftUnreadIsNoAuthority) {
  // "Số: 07 /CT-UBND" with the 07 written by hand and not read: the number line is still the
  // end of the authority block, not a "Sở" of it (both fold to "so").
  std::vector<Page> pages = {make_page({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
                                        "Số: /CT-UBND || Quảng Ngãi, ngày tháng 3 năm 2018", "^CHỈ THỊ",
                                        "^Về việc tăng cường công tác thi hành án hành chính",
                                        "^trên địa bàn tỉnh Quảng Ngãi",
                                        "Trong thời gian qua, công tác triển khai thi hành Luật tố tụng hành chính"})};
  auto m = run(pages);
  EXPECT_EQ(m["co_quan_ban_hanh"], "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI");
  EXPECT_EQ(m.count("so_ky_hieu"), 0u);
}

TEST(Extract, TheSubjectsMarksAsTheDocumentWritesThem) {
  // The bold subject line read "thỉ" where the body writes "thi hành án" again and again.
  std::vector<Page> pages = {make_page({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
                                        "Số: 07/CT-UBND || Quảng Ngãi, ngày 20 tháng 3 năm 2018", "^CHỈ THỊ",
                                        "^Về việc tăng cường công tác thỉ hành án hành chính", "",
                                        "Trong thời gian qua, công tác thi hành án hành chính đã đạt kết quả.",
                                        "Để tăng cường công tác thi hành án hành chính, Chủ tịch yêu cầu:",
                                        "1. Các sở chỉ đạo công tác thi hành án hành chính kịp thời."})};
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  auto m = extract::extract(d, pages, c);
  ASSERT_TRUE(m.count("trich_yeu"));
  const MetadataValue& v = m.at("trich_yeu");
  EXPECT_EQ(v.value, "tăng cường công tác thi hành án hành chính");
  ASSERT_EQ(v.doubts.size(), 1u);
  EXPECT_EQ(v.doubts[0].before, "thỉ");
  EXPECT_TRUE(v.doubts[0].applied);  // put right, and still for a person to confirm
  // Twice in the body is not the document's spelling yet: the value stays as read.
  pages[0] = make_page({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
                        "Số: 07/CT-UBND || Quảng Ngãi, ngày 20 tháng 3 năm 2018", "^CHỈ THỊ",
                        "^Về việc tăng cường công tác thỉ hành án hành chính", "",
                        "Trong thời gian qua, công tác thi hành án hành chính đã đạt kết quả.",
                        "Để tăng cường công tác thi hành án hành chính, Chủ tịch yêu cầu:"});
  d = doc_of(pages);
  m = extract::extract(d, pages, classify::classify(d, pages));
  ASSERT_TRUE(m.count("trich_yeu"));
  EXPECT_EQ(m.at("trich_yeu").value, "tăng cường công tác thỉ hành án hành chính");
}

TEST(Extract, ARegistrationCertificateIsDatedByItsLatestRegistration) {
  auto page = [](std::vector<std::string> extra) {
    std::vector<std::string> lines = {"UBND QUẬN 1 || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                      "PHÒNG TÀI CHÍNH - KẾ HOẠCH || Độc lập - Tự do - Hạnh phúc",
                                      "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "Mã số hộ kinh doanh: 41A8027315"};
    lines.insert(lines.end(), extra.begin(), extra.end());
    lines.push_back("1. Tên hộ kinh doanh: HỘ KINH DOANH TẠP HÓA AN BÌNH");
    lines.push_back("Căn cứ Nghị định số 01/2021/NĐ-CP ngày 04 tháng 01 năm 2021 của Chính phủ");
    return std::vector<Page>{make_page(lines)};
  };
  std::string type;
  auto m = run(page({"Đăng ký lần đầu: ngày 11 tháng 05 năm 2022"}), &type);
  ASSERT_EQ(type, "giay_chung_nhan_dkkd");
  EXPECT_EQ(m["ngay_ban_hanh"], "2022-05-11");
  m = run(page({"Đăng ký lần đầu: ngày 11 tháng 05 năm 2022", "Đăng ký thay đổi lần thứ: 2, ngày 03 tháng 01 năm 2024"}));
  EXPECT_EQ(m["ngay_ban_hanh"], "2024-01-03");
  // A place-and-date line is the day this paper was issued.
  m = run(page({"Đăng ký lần đầu: ngày 11 tháng 05 năm 2022", "Quận 1, ngày 13 tháng 9 năm 2024"}));
  EXPECT_EQ(m["ngay_ban_hanh"], "2024-09-13");
}

TEST(Extract, BirthCertificateIsAboutTheChild) {
  auto m = run(one({"UBND PHƯỜNG AN HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Số: 123 || Độc lập - Tự do - Hạnh phúc", "Quyển số: 01/2021 || An Hòa, ngày 9 tháng 3 năm 2021",
                    "^GIẤY KHAI SINH", "Họ, chữ đệm, tên: LÊ MINH KHANG", "Ngày, tháng, năm sinh: 01/03/2021",
                    "Số định danh cá nhân: 092221001122",
                    "Họ, chữ đệm, tên người mẹ: PHẠM THỊ HOA", "Năm sinh: 1990",
                    "Người đi khai sinh: Lê Văn Tám", "Giấy tờ tùy thân: CCCD số 092090123456"}));
  EXPECT_EQ(m["ho_ten"], "Lê Minh Khang");
  EXPECT_EQ(m["ngay_sinh"], "2021-03-01");
  EXPECT_EQ(m["so_dinh_danh"], "092221001122");
  EXPECT_EQ(m["so_ky_hieu"], "123");
  EXPECT_EQ(m["co_quan_ban_hanh"], "UBND PHƯỜNG AN HÒA");
}

TEST(Extract, FormsNameTheSubjectNotTheApplicant) {
  auto m = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^TỜ KHAI ĐĂNG KÝ KHAI TỬ",
                    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn Bình", "Giấy tờ tùy thân: CCCD số 056085001111",
                    "Họ, chữ đệm, tên: NGUYỄN VĂN CHÍNH", "Ngày, tháng, năm sinh: 12/12/1940",
                    "Số định danh cá nhân: 056040009999", "Diên Khánh, ngày 20 tháng 10 năm 2023"}));
  EXPECT_EQ(m["ho_ten"], "Nguyễn Văn Chính");
  EXPECT_EQ(m["ngay_sinh"], "1940-12-12");
  EXPECT_EQ(m["so_dinh_danh"], "056040009999");
  EXPECT_EQ(m["ngay_ban_hanh"], "2023-10-20");
  EXPECT_EQ(m.count("co_quan_ban_hanh"), 0u);  // citizens' forms have no issuing body
  EXPECT_EQ(m.count("so_ky_hieu"), 0u);
}

TEST(Extract, AnItemNumbersOneReadAsI) {
  // OCR reads the "1" of "1.1." as "I" in some fonts: the label is the same label.
  for (const std::string item : {"1.1.", "I.1.", "l.1."}) {
    auto m = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                      "I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ", "1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất",
                      item + " Tên (viết chữ in hoa): LÂM NGỌC HƯƠNG", "1.2. Ngày sinh: 17/10/1988",
                      "1.3. Số định danh cá nhân: 092188388038", "Cần Thơ, ngày 01 tháng 05 năm 2024"}));
    EXPECT_EQ(m["ho_ten"], "Lâm Ngọc Hương") << item;
    EXPECT_EQ(m["ngay_sinh"], "1988-10-17") << item;
    EXPECT_EQ(m["so_dinh_danh"], "092188388038") << item;
  }
}

TEST(Extract, EmptyFormInventsNothing) {
  std::string type;
  auto m = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc",
                    "^ĐƠN KHỞI KIỆN VỤ ÁN HÀNH CHÍNH", "Kính gửi: Tòa án nhân dân (1)..........",
                    "Họ và tên người khởi kiện (3)....................................",
                    "Địa chỉ (4)...............................", "Ngày ..... tháng ..... năm ......"}),
               &type);
  EXPECT_EQ(type, "don");
  EXPECT_TRUE(m.empty()) << m.begin()->first << "=" << m.begin()->second;
}

TEST(Extract, IdNumbersAreValidated) {
  EXPECT_TRUE(extract::valid_id12("056190012345", "1990-11-05"));
  EXPECT_FALSE(extract::valid_id12("056190012345", "2001-11-05"));  // century digit says 1900s
  EXPECT_FALSE(extract::valid_id12("003190012345", ""));            // 003 is no province
  EXPECT_FALSE(extract::valid_id12("056590012345", ""));            // sex/century digit 5
  EXPECT_FALSE(extract::valid_id12("05619001234", ""));
  EXPECT_EQ(extract::iso_date(29, 2, 2023), "");
  EXPECT_EQ(extract::proper_name("ĐẶNG MỸ KIM HẠNH"), "Đặng Mỹ Kim Hạnh");
}

TEST(Extract, CardFieldsFromOcr) {
  auto m = run(one({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CĂN CƯỚC CÔNG DÂN", "Số / No.: 056O90001234",
                    "Họ và tên / Full name:", "TRẦN THỊ LAN", "Ngày sinh / Date of birth: 15/11/1990"},
                   true));
  EXPECT_EQ(m["ho_ten"], "Trần Thị Lan");
  EXPECT_EQ(m["ngay_sinh"], "1990-11-15");
  EXPECT_EQ(m["so_dinh_danh"], "056090001234");  // O read for 0
  EXPECT_EQ(m.count("so_ky_hieu"), 0u);
}

TEST(Extract, CccdQrText) {
  auto d = qr::parse_cccd("056090001234|215000111|Trần Thị Lan|15111990|Nữ|Vĩnh Hải, Nha Trang, Khánh Hòa|01022021");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->so_dinh_danh, "056090001234");
  EXPECT_EQ(d->ngay_sinh, "1990-11-15");
  EXPECT_EQ(d->ngay_cap, "2021-02-01");
  EXPECT_FALSE(qr::parse_cccd("PATCHT"));
}

// OCR often loses the colon after a label or leaves leader and photo-edge junk before the value.
TEST(Extract, LabelsWithoutColons) {
  auto ks = run(one({"UBND HUYỆN GIA LÂM || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ ĐA TỐN || Độc lập - Tự do - Hạnh phúc",
                     "_ SỐ: 40 || Đa Tốn, ngày 01 tháng 3 năm 2020", "^GIẤY KHAI SINH",
                     "Họ, chữ đệm, tên NGUYỄN KIM PHƯƠNG", "Ngày, tháng, năm sinh: 23/02/2020",
                     "Số định danh cá nhân: 001320613186", "Họ, chữ đệm, tên người mẹ- BÙI KHÁNH PHƯƠNG",
                     "Năm sinh: 1994"}));
  EXPECT_EQ(ks["ho_ten"], "Nguyễn Kim Phương");
  EXPECT_EQ(ks["ngay_sinh"], "2020-02-23");
  EXPECT_EQ(ks["so_dinh_danh"], "001320613186");

  auto don = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc",
                      "^ĐƠN ĐỀ NGHỊ CẤP LẠI GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
                      "Kính gửi: Văn phòng đăng ký đất đai thành phố Hải Phòng",
                      "Họ và tên người đề nghị . Ngô Khánh Trâm..", "Số định danh cá nhân: 031164353399",
                      "Thủy Nguyên, ngày 05 tháng 05 năm 2024", "Người làm đơn", "(Ký, ghi rõ họ tên)", "Ngô Khánh Trâm"}));
  EXPECT_EQ(don["ho_ten"], "Ngô Khánh Trâm");
  EXPECT_EQ(don["so_dinh_danh"], "031164353399");

  auto card = run(one({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CĂN CƯỚC CÔNG DÂN", "sö/No: 031195434032",
                       "lạ À Họ và tên / Full name:", "( . _ VŨ THỊ MAI", "Ngày sinh / Date of birth: 24/06/1995"},
                      true));
  EXPECT_EQ(card["ho_ten"], "Vũ Thị Mai");
  EXPECT_EQ(card["ngay_sinh"], "1995-06-24");
  EXPECT_EQ(card["so_dinh_danh"], "031195434032");

  auto gp = run(one({"UBND THÀNH PHỐ ĐÀ NẴNG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ XÂY DỰNG || Độc lập - Tự do - Hạnh phúc",
                     "Số: 776/GPXD || Đà Nẵng, ngày 17 tháng 3 năm 2022", "^GIẤY PHÉP XÂY DỰNG",
                     "1. Cấp cho: Ông (bà) HỒ VĂN NAM", "- Địa chỉ: Số 190A đường Lê Hồng Phong, Phường An Hải Bắc"}));
  EXPECT_EQ(gp["ho_ten"], "Hồ Văn Nam");
}

// The authority and national header read as one segment, a dash inside the name, "Số" misread.
TEST(Extract, AuthorityBlockAsOcrReadsIt) {
  auto qd = run(one({"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH KHÁNH HÒA || Độc lập - Tự do - Hạnh phúc",
                     "Số: 1619/QĐ-UBND || Khánh Hòa, ngày 05 tháng 12 năm 2024", "^QUYẾT ĐỊNH",
                     "^Phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2024"}));
  EXPECT_EQ(qd["co_quan_ban_hanh"], "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA");
  auto tl = run(one({"UBND THÀNH PHỐ HẢI PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "UBND HUYỆN THỦY NGUYÊN Độc lập - Tự do - Hạnh phúc",
                     "Số: 735/TLKT-BS || Thủy Nguyên, ngày 30 tháng 9 năm 2024", "^TRÍCH LỤC KHAI TỬ"}));
  EXPECT_EQ(tl["co_quan_ban_hanh"], "UBND HUYỆN THỦY NGUYÊN");
  auto bn = run(one({"UBND HUYỆN THỦY NGUYÊN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ || Độc lập - Tự do - Hạnh phúc",
                     "20: 9010/TNHS || Thủy Nguyên, ngày 18 tháng 11 năm 2019", "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"}));
  // The desk has no legal standing: the organ above it issues (issue 13).
  EXPECT_EQ(bn["co_quan_ban_hanh"], "UBND HUYỆN THỦY NGUYÊN");
  auto kd = run(one({"UBND QUẬN LÊ CHÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "PHÒNG TÀI CHÍNH - KẾ HOẠCH || Độc lập - Tự do - Hạnh phúc", "|| Lê Chân, ngày 09 tháng 12 năm 2021",
                     "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "^Mã số hộ kinh doanh: 31B9346078"}));
  EXPECT_EQ(kd["co_quan_ban_hanh"], "PHÒNG TÀI CHÍNH - KẾ HOẠCH");
}

TEST(Extract, CardIssuerIsTheNationalBody) {
  auto m = run(one({"CĂN CƯỚC CÔNG DÂN", "Đặc điểm nhân dạng / Personal identification:",
                    "Ngày, tháng, năm / Date, month, year: 19/04/2018", "CỤC TRƯỞNG. CỤC | CẢNH SÁT",
                    "QUẢN LÝ HÀNH CHÍNH VỆ TRẠT TỰ XÃ HỘI"},
                   true));
  EXPECT_EQ(m["co_quan_ban_hanh"], "CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI");
}

// Accents lost in one place are read right elsewhere in the same document.
TEST(Extract, SpellingByTheDocumentsVotes) {
  auto m = run(one({"UBND HUYỆN GIA LÂM || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ ĐA TỒN || Độc lập - Tự do - Hạnh phúc",
                    "Số: 40 || Đa Tốn, ngày 01 tháng 3 năm 2020", "^GIẤY KHAI SINH", "Họ, chữ đệm, tên: NGUYÊN KIM PHƯỢNG",
                    "Nơi cư trú: Ấp Bình Lợi, Xã Đa Tốn, huyện Gia Lâm", "Nơi đăng ký khai sinh: Ủy ban nhân dân xã Đa Tốn",
                    "Người ký: Nguyễn Kim Phương"}));
  EXPECT_EQ(m["co_quan_ban_hanh"], "UBND XÃ ĐA TỐN");
  // the surname takes its usual spelling; the given name keeps what was read (one vote each)
  EXPECT_EQ(m["ho_ten"], "Nguyễn Kim Phượng");
  EXPECT_EQ(extract::respell("Lễ Kim Trâm", {}, true), "Lê Kim Trâm");
  EXPECT_EQ(extract::respell("Trần Thi Mai", {}, true), "Trần Thị Mai");
}

TEST(Extract, NumbersAsOcrReadsThem) {
  auto bn = run(one({"UBND THÀNH PHỐ ĐÀ LẠT || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ || Độc lập - Tự do - Hạnh phúc",
                     "S6: 6042/TNHŠ || Đà Lạt, ngày 26 tháng 10 năm 2022", "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"}));
  EXPECT_EQ(bn["so_ky_hieu"], "6042/TNHS");
  auto kd = run(one({"UBND QUẬN LÊ CHÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "PHÒNG TÀI CHÍNH - KẾ HOẠCH || Độc lập - Tự do - Hạnh phúc", "|| Lê Chân, ngày 09 tháng 12 năm 2021",
                     "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "^Mã số hộ kinh doanh: 31B9346078"}));
  EXPECT_EQ(kd["so_ky_hieu"], "31B9346078");
  EXPECT_EQ(kd["ngay_ban_hanh"], "2021-12-09");
  auto gcn = run(one({"^GIẤY CHỨNG NHẬN", "^QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT",
                      "Số vào sổ cấp GCN: C§45604"}));
  EXPECT_EQ(gcn["so_ky_hieu"], "CS45604");
}

// A decision whose header OCR lost: the dates of the laws it cites are not its date.
TEST(Extract, CitedDatesAreNotTheIssueDate) {
  auto m = run(one({"^QUYẾT ĐỊNH", "^Về việc giao đất tái định cư cho hộ gia đình ông Lê Hữu Nghĩa",
                    "^CHỦ TỊCH ỦY BAN NHÂN DÂN THỊ XÃ BỈM SƠN",
                    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức",
                    "chính quyền địa phương ngày 22 tháng 11 năm 2019;",
                    "Thực hiện Công văn số 19/KH-UBND ngày 18 tháng 10 năm 2023 của Sở Nội vụ"}));
  EXPECT_EQ(m.count("ngay_ban_hanh"), 0u) << m["ngay_ban_hanh"];
}

TEST(Extract, AuthorityJunkAndAgencyWords) {
  auto bn = run(one({"UBND PHƯỜNG VĨNH NINH. CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ || Độc lập - Tự do - Hạnh phúc",
                     "SHed ĐAU DUNŠ || Vĩnh Ninh, ngày 06 tháng 9 năm 2023", "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"}));
  EXPECT_EQ(bn["co_quan_ban_hanh"], "UBND PHƯỜNG VĨNH NINH");  // the organ, not its desk
  auto qd = run(one({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "THỊ XÃ HƯƠNG THỦY ˆ si || Độc lập - Tự do - Hạnh phúc", "Số: 12/QĐ-UBND || Hương Thủy, ngày 2 tháng 3 năm 2023",
                     "^QUYẾT ĐỊNH"}));
  EXPECT_EQ(qd["co_quan_ban_hanh"], "ỦY BAN NHÂN DÂN THỊ XÃ HƯƠNG THỦY");
  auto q3 = run(one({"UBND QUẬN 3 || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "|| Độc lập - Tự do - Hạnh phúc",
                     "Số: 12/QĐ-UBND || Quận 3, ngày 2 tháng 3 năm 2023", "^QUYẾT ĐỊNH"}));
  EXPECT_EQ(q3["co_quan_ban_hanh"], "UBND QUẬN 3");
  auto kd = run(one({"UBND TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "PHÒNG ĐANG KY KINHDOANH || Độc lập - Tự do - Hạnh phúc", "|| Nha Trang, ngày 09 tháng 12 năm 2021",
                     "^GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP"}));
  EXPECT_EQ(kd["co_quan_ban_hanh"], "PHÒNG ĐĂNG KÝ KINH DOANH");
}

TEST(Extract, NamesAmidOcrJunk) {
  auto kd = run(one({"UBND QUẬN LÊ CHÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "PHÒNG TÀI CHÍNH - KẾ HOẠCH || Độc lập - Tự do - Hạnh phúc", "|| Lê Chân, ngày 09 tháng 12 năm 2021",
                     "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "6. Họ và tên đại diện hộ kinh doanh:. ˆ VÕ QUANG HIẾU",
                     "Giới tính: Nam Sinh ngày: ... 18/02/1968 Dân tộc: .. Kinh",
                     "Số giấy tờ pháp lý của cá nhân:. .... 068068138476..."}));
  EXPECT_EQ(kd["ho_ten"], "Võ Quang Hiếu");
  EXPECT_EQ(kd["ngay_sinh"], "1968-02-18");
  EXPECT_EQ(kd["so_dinh_danh"], "068068138476");
  auto vb = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^TRUNG TÂM NGOẠI NGỮ - TIN HỌC KHÁNH HÒA", "^cấp",
                     "^CHỨNG CHỈ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN CƠ BẢN", "Cho: - Dương € Gia Sơn",
                     "Ngày sinh: 19/06/1988 - Giới tính: - Nam"}));
  EXPECT_EQ(vb["ho_ten"], "Dương Gia Sơn");
  auto card = run(one({"CĂN CƯỚC CÔNG DÂN", "Số / No.: 038087321311", "Họ và tên / Full name:", "Ầ TẠ ĐÌNH TÙNG",
                       "Ngày sinh / Date of birth: 21/03/1987"},
                      true));
  EXPECT_EQ(card["ho_ten"], "Tạ Đình Tùng");
}

TEST(Extract, NameBesideItsLabelInALineOfItsOwn) {
  Page p = testutil::make_page({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc",
                      "^BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG", "Cho:", "Ngày sinh: 02/12/1990",
                      "Nơi sinh: Đà Nẵng"});
  // OCR made the name a line of its own, in a block further right, on the row of "Cho:".
  const int y = p.ocr.lines[3].box.y;
  const int li = static_cast<int>(p.ocr.lines.size());
  testutil::add_words(p, "Võ Thị Trâm", 700, y, li);
  p.ocr.lines.push_back({{700, y, 400, 40}, y + 40});
  p.ocr.text += "\n\nVõ Thị Trâm";
  auto m = run({p});
  EXPECT_EQ(m["ho_ten"], "Võ Thị Trâm");
  EXPECT_EQ(m["ngay_sinh"], "1990-12-02");
}

// A name too long for the header column wraps onto a short line; a second authority does not.
TEST(Extract, WrappedAuthorityNameIsJoined) {
  auto m = run(one({"UBND TỈNH BÌNH ĐỊNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND THÀNH PHỐ QUY || Độc lập - Tự do - Hạnh phúc",
                    "NHƠN", "Số: 4709/UBND-TP || Quy Nhơn, ngày 21 tháng 10 năm 2024",
                    "V/v đôn đốc cập nhật dữ liệu hộ tịch", "^Kính gửi: UBND các xã, phường"}));
  EXPECT_EQ(m["co_quan_ban_hanh"], "UBND THÀNH PHỐ QUY NHƠN");
  m = run(one({"SỞ Y TẾ TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BỆNH VIỆN ĐA KHOA TỈNH || Độc lập - Tự do - Hạnh phúc",
               "KHÁNH HÒA", "Số: 3588/GCS", "^GIẤY CHỨNG SINH", "Họ và tên mẹ: VŨ HỒNG LINH"}));
  EXPECT_EQ(m["co_quan_ban_hanh"], "BỆNH VIỆN ĐA KHOA TỈNH KHÁNH HÒA");
  // Two authorities, each whole: the lower one issues.
  m = run(one({"UBND TỈNH BÌNH ĐỊNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND THÀNH PHỐ QUY NHƠN || Độc lập - Tự do - Hạnh phúc",
               "Số: 4709/UBND-TP || Quy Nhơn, ngày 21 tháng 10 năm 2024", "V/v đôn đốc cập nhật dữ liệu hộ tịch",
               "^Kính gửi: UBND các xã, phường"}));
  EXPECT_EQ(m["co_quan_ban_hanh"], "UBND THÀNH PHỐ QUY NHƠN");
}

// A wide font sets the right column's place-date line lower, between the subject's lines.
TEST(Extract, ThePlaceDateLineIsNoPartOfTheSubject) {
  auto m = run(one({"UBND TỈNH THÁI BÌNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "UBND HUYỆN KIẾN XƯƠNG || Độc lập - Tự do - Hạnh phúc", "Số: 6771/UBND-NV",
                    "V/v tăng cường kỷ luật, kỷ cương", "^Thái Bình, ngày 01 tháng 01 năm 2023",
                    "trong giải quyết thủ tục hành chính", "^Kính gửi: Các phòng, ban chuyên môn"}));
  EXPECT_EQ(m["trich_yeu"], "tăng cường kỷ luật, kỷ cương trong giải quyết thủ tục hành chính");
  EXPECT_EQ(m["ngay_ban_hanh"], "2023-01-01");
  // A subject that cites a paper's date keeps it.
  m = run(one({"UBND TỈNH THÁI BÌNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
               "UBND HUYỆN KIẾN XƯƠNG || Độc lập - Tự do - Hạnh phúc", "Số: 6772/UBND-NV || Thái Bình, ngày 02 tháng 01 năm 2023",
               "V/v thực hiện Công văn số 15/UBND", "của UBND tỉnh, ngày 05 tháng 12 năm 2022",
               "^Kính gửi: Các phòng, ban chuyên môn"}));
  EXPECT_EQ(m["trich_yeu"], "thực hiện Công văn số 15/UBND của UBND tỉnh, ngày 05 tháng 12 năm 2022");
}

TEST(Extract, APlaceDateLineWhoseYearWraps) {
  auto m = run(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^TỜ KHAI ĐĂNG KÝ KHAI SINH",
                    "Kính gửi: Ủy ban nhân dân phường Lộc Thọ", "Họ, chữ đệm, tên người yêu cầu: Lê Văn Nam",
                    "Ngày, tháng, năm sinh: 11/02/2024", "Làm tại: Nha Trang, ngày 17 tháng 03", "năm 2024"}));
  EXPECT_EQ(m["ngay_ban_hanh"], "2024-03-17");
  m = run(one({"UBND QUẬN 1 || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BỘ PHẬN MỘT CỬA || Độc lập - Tự do - Hạnh phúc",
               "Thành phố Hồ Chí Minh, ngày 13 tháng", "05 năm 2024", "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
               "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 13/05/2024"}));
  EXPECT_EQ(m["ngay_ban_hanh"], "2024-05-13");
}

TEST(Extract, AShortLineUnderTheIssuerThatMayEndItIsAsked) {
  // "HOẠCH" misread "HOACH": the name is not joined, but it is not trusted either.
  std::vector<Page> pages = one({"UBND QUẬN 1 || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "PHÒNG TÀI CHÍNH - KẾ || Độc lập - Tự do - Hạnh phúc", "HOACH",
                                 "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "Mã số hộ kinh doanh: 24A83282287",
                                 "Đăng ký lần đầu: ngày 06 tháng 03 năm 2024",
                                 "1. Tên hộ kinh doanh: HỘ KINH DOANH QUÁN CƠM TẤM BÌNH MINH"});
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  auto out = extract::extract(d, pages, c);
  ASSERT_TRUE(out.count("co_quan_ban_hanh"));
  const MetadataValue& v = out["co_quan_ban_hanh"];
  EXPECT_EQ(v.value, "PHÒNG TÀI CHÍNH - KẾ");
  ASSERT_EQ(v.doubts.size(), 1u);
  EXPECT_EQ(v.doubts[0].after, "PHÒNG TÀI CHÍNH - KẾ HOACH");
  // A whole name over the next printed line raises nothing.
  pages = one({"UBND QUẬN 1 || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHÒNG TÀI CHÍNH - KẾ HOẠCH || Độc lập - Tự do - Hạnh phúc",
               "^GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "Mã số hộ kinh doanh: 24A83282287",
               "Đăng ký lần đầu: ngày 06 tháng 03 năm 2024"});
  out = extract::extract(doc_of(pages), pages, classify::classify(doc_of(pages), pages));
  EXPECT_EQ(out["co_quan_ban_hanh"].value, "PHÒNG TÀI CHÍNH - KẾ HOẠCH");
  EXPECT_TRUE(out["co_quan_ban_hanh"].doubts.empty());
}

namespace {
std::map<std::string, MetadataValue> extract_all(const std::vector<Page>& pages) {
  Document d = doc_of(pages);
  return extract::extract(d, pages, classify::classify(d, pages));
}
}  // namespace

TEST(Extract, ADotInASymbolIsTakenForABlurredHyphenAndAsked) {
  for (const char* line : {"Số: 2294/UBND.VP || Đông Sơn, ngày 4 tháng 6 năm 2020", "Số: 2294/UBND.-VP || Đông Sơn, ngày 4 tháng 6 năm 2020"}) {
    auto m = extract_all(one({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "HUYỆN ĐÔNG SƠN || Độc lập - Tự do - Hạnh phúc",
                              line, "V/v rà soát đối tượng hưởng chính sách", "Kính gửi: Chủ tịch UBND các xã, thị trấn."}));
    ASSERT_TRUE(m.count("so_ky_hieu")) << line;
    EXPECT_EQ(m["so_ky_hieu"].value, "2294/UBND-VP") << line;  // not "2294/UBND", cut at the dot
    ASSERT_EQ(m["so_ky_hieu"].doubts.size(), 1u) << line;
    EXPECT_TRUE(m["so_ky_hieu"].doubts[0].applied);
  }
  auto clean = extract_all(one({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "HUYỆN ĐÔNG SƠN || Độc lập - Tự do - Hạnh phúc",
                                "Số: 2294/UBND-VP || Đông Sơn, ngày 4 tháng 6 năm 2020", "V/v rà soát đối tượng hưởng chính sách",
                                "Kính gửi: Chủ tịch UBND các xã, thị trấn."}));
  EXPECT_EQ(clean["so_ky_hieu"].value, "2294/UBND-VP");
  EXPECT_TRUE(clean["so_ky_hieu"].doubts.empty());
}

// Digits OCR misread into glyphs no code or date has: the field is asked, never dropped silently
// nor replaced by another date of the text.
TEST(Extract, CodesAndDatesOcrGarbledAreAsked) {
  // A serial with a marked letter among its digits.
  auto m = extract_all(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc",
                            "^HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC VINH", "^cấp", "^CHỨNG CHỈ", "^ỨNG DỤNG CÔNG NGHỆ THÔNG TIN CƠ BẢN",
                            "Cho ông/bà: THÁI KHÁNH OANH", "Ngày sinh: 11/11/1997", "Nghệ An, ngày 26 tháng 09 năm 2020",
                            "Số hiệu chứng chỉ: CB6ó08943", "Số vào sổ: 4377/CNTT"}));
  EXPECT_FALSE(m.count("so_ky_hieu"));
  ASSERT_TRUE(m.count("review.so_ky_hieu"));
  EXPECT_NE(m["review.so_ky_hieu"].value.find("CB6ó08943"), std::string::npos) << m["review.so_ky_hieu"].value;
  // A number cut at a glyph: what was read is kept, and asked.
  m = extract_all(one({"UBND THÀNH PHỐ HUẾ || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND PHƯỜNG THUẬN LỘC || Độc lập - Tự do - Hạnh phúc",
                       "Số: 2§6/TLKT-BS || Huế, ngày 26 tháng 03 năm 2023", "^TRÍCH LỤC KHAI TỬ", "Họ, chữ đệm, tên: BÙI CÔNG LONG"}));
  ASSERT_TRUE(m.count("so_ky_hieu"));
  ASSERT_EQ(m["so_ky_hieu"].doubts.size(), 1u);
  EXPECT_EQ(m["so_ky_hieu"].doubts[0].after, "2§6/TLKT-BS");
  // An item number before the label: the unreadable number is asked.
  m = extract_all(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                       "1.1. Tên: NGUYỄN VĂN HÙNG", "1.3. Số định danh cá nhân: 09218§388038", "Cần Thơ, ngày 01 tháng 05 năm 2024"}));
  EXPECT_FALSE(m.count("so_dinh_danh"));
  EXPECT_TRUE(m.count("review.so_dinh_danh"));
  // The place-date line's month misread: the registration's date is not the paper's.
  m = extract_all(one({"UBND TỈNH THÁI BÌNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ VŨ LẠC || Độc lập - Tự do - Hạnh phúc",
                       "Số: 211/TLKS-BS || Thát Bình, ngày 20 tháng T0 năm 2023", "^TRÍCH LỤC KHAI SINH",
                       "Họ, chữ đệm, tên: TRẦN VĂN AN", "Ngày, tháng, năm sinh: 18/06/1995",
                       "Ngày, tháng, năm đăng ký: 08/07/1995"}));
  EXPECT_FALSE(m.count("ngay_ban_hanh")) << m["ngay_ban_hanh"].value;
  EXPECT_TRUE(m.count("review.ngay_ban_hanh"));
  // A form's date with day and month misread.
  m = extract_all(one({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^TỜ KHAI ĐĂNG KÝ KHAI SINH",
                       "Kính gửi: Ủy ban nhân dân phường Lộc Thọ", "Họ, chữ đệm, tên người yêu cầu: Lê Văn Nam",
                       "Ngày, tháng, năm sinh: 29/12/2023", "Làm tại: Nha Trang, ngày 2Š tháng 0ï năm 2024"}));
  EXPECT_FALSE(m.count("ngay_ban_hanh")) << m["ngay_ban_hanh"].value;
  EXPECT_TRUE(m.count("review.ngay_ban_hanh"));
}

// A certificate names its holder "Cho ông/bà:" and numbers itself "Số hiệu chứng chỉ".
TEST(Extract, CertificateHolderAndSerial) {
  std::string type;
  auto m = run(one({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "^HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC VINH", "^cấp",
                    "^CHỨNG CHỈ", "^ỨNG DỤNG CÔNG NGHỆ THÔNG TIN CƠ BẢN", "Cho ông/bà: NGUYỄN KHÁNH QUYÊN", "Ngày sinh: 11/01/1993",
                    "Nơi sinh: phường Cao Xanh, thành phố Hạ Long, tỉnh Quảng Ninh", "Đã hoàn thành kỳ thi ngày: 02/09/2019",
                    "|| Nghệ An, ngày 02 tháng 10 năm 2019", "|| HIỆU TRƯỞNG", "|| Trương Mỹ Ánh",
                    "Số hiệu chứng chỉ: CB780131", "Số vào sổ: 8169/CNTT"}),
               &type);
  EXPECT_EQ(type, "van_bang");
  EXPECT_EQ(m["ho_ten"], "Nguyễn Khánh Quyên");
  EXPECT_EQ(m["ngay_sinh"], "1993-01-11");
  EXPECT_EQ(m["so_ky_hieu"], "CB780131");
  EXPECT_EQ(m["co_quan_ban_hanh"], "TRƯỜNG ĐẠI HỌC VINH");
  EXPECT_EQ(m["ngay_ban_hanh"], "2019-10-02");
}

// The place-date line with "tháng" misread, and a cited paper's "cấp ngày" below it.
TEST(Extract, IssueDateIsNotTheDateOfAPaperItCites) {
  auto m = run(one({"UBND THỊ XÃ NINH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ NINH XUÂN || Độc lập - Tự do - Hạnh phúc",
                    "Số: 344/2019/TLKT || Ninh Xuân, ngày 26 thúng 6 năm 2019", "^TRÍCH LỤC KHAI TỬ",
                    "Họ, chữ đệm, tên: LƯƠNG DUY DŨNG", "Đã chết vào lúc: 10 giờ 21 phút, ngày 12/06/2019",
                    "Giấy báo tử số: 344/GBT do Trạm Y tế Ninh Xuân cấp ngày 13/06/2019"}));
  EXPECT_EQ(m["ngay_ban_hanh"], "2019-06-26");
}

// A labelled slot whose value cannot be taken (an ID number with a digit too many) asks a person.
TEST(Extract, APrintedSlotWithoutAValueAsks) {
  std::vector<Page> pages = one({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                 "^ĐƠN ĐỀ NGHỊ XÁC NHẬN HOÀN CẢNH GIA ĐÌNH", "Kính gửi: Ủy ban nhân dân phường 4",
                                 "Tôi tên là: Lương Thị Lan", "Ngày sinh: 04/03/1993 Giới tính: Nữ",
                                 "Số định danh cá nhân: || 0401937176817", "Nơi thường trú: Thôn Phú Ân Nam, Phường 4"});
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  EXPECT_EQ(c.doc_type, "don");
  auto m = extract::extract(d, pages, c);
  EXPECT_FALSE(m.count("so_dinh_danh"));
  ASSERT_TRUE(m.count("review.so_dinh_danh"));
  EXPECT_NE(m.at("review.so_dinh_danh").value.find("0401937176817"), std::string::npos);
  // An empty slot, its label's own words and leader dots, is no value.
  pages = one({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^ĐƠN KHỞI KIỆN", "Họ và tên người khởi kiện (3)......................",
               "Số định danh cá nhân: ..............................."});
  d = doc_of(pages);
  m = extract::extract(d, pages, classify::classify(d, pages));
  EXPECT_FALSE(m.count("review.so_dinh_danh"));
  EXPECT_FALSE(m.count("review.ho_ten"));
}

TEST(Extract, AGarbledCouncilHeaderIsReadAsItsNameAndAsked) {
  // A blurred phone photo of a công văn: the header reads as junk close to a council's name.
  std::vector<Page> pages = one({"LÝ HẠN NHÂN ĐẠN || ĐÔNG (HÓA XÃ HỘI €HÍ: MOHÍA VI NAM",
                                 "ĐHUVỆN TÍNH GIÁ || Độc lập tự do lạnh phá,",
                                 "Nó 41/3 /LIHEIĐE21190%4g || Hình ta, ngủ A( thâm my 2U",
                                 "Kính gửi: Chủ tịch UBND các xã, thị trấn.",
                                 "Thực hiện Nghị quyết số 42/NQ-CP ngày 09 tháng 4 năm 2020 của Chính phủ"});
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  const auto m = extract::extract(d, pages, c);
  ASSERT_TRUE(m.count("co_quan_ban_hanh"));
  const MetadataValue& v = m.at("co_quan_ban_hanh");
  EXPECT_EQ(v.value, "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA");
  // ... in doubt, with what OCR read, so that a person confirms it
  ASSERT_EQ(v.doubts.size(), 1u);
  EXPECT_EQ(v.doubts[0].before, "LÝ HẠN NHÂN ĐẠN ĐHUVỆN TÍNH GIÁ");
  EXPECT_TRUE(v.doubts[0].applied);
  // A header read right is taken as read, with no doubt.
  const auto clean = run(one({"ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "HUYỆN TĨNH GIA || Độc lập - Tự do - Hạnh phúc",
                              "Số: 1113/UBND-LĐTBXH || Tĩnh Gia, ngày 16 tháng 4 năm 2020",
                              "Kính gửi: Chủ tịch UBND các xã, thị trấn."}));
  EXPECT_EQ(clean.at("co_quan_ban_hanh"), "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA");
}

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "classify/classify.h"
#include "classify/model.h"
#include "classify/titles.h"
#include "cls_test_util.h"
#include "extract/extract.h"
#include "extract/fields.h"

using namespace sohoa;
using testutil::doc_of;
using testutil::make_page;

namespace {
Classification cls(const std::vector<std::string>& lines, bool card = false) {
  std::vector<Page> pages = {make_page(lines, card)};
  return classify::classify(doc_of(pages), pages);
}
const std::vector<std::string> kHeader = {"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc"};
std::vector<std::string> with_header(std::vector<std::string> body) {
  body.insert(body.begin(), kHeader.begin(), kHeader.end());
  return body;
}
}  // namespace

TEST(Classify, ClassOf) {
  EXPECT_EQ(classify::class_of("don"), "single_use");
  EXPECT_EQ(classify::class_of("bien_nhan"), "single_use");
  EXPECT_EQ(classify::class_of("van_ban_hanh_chinh"), "reusable");
  EXPECT_EQ(classify::class_of("khac"), "reusable");
}

TEST(Classify, TitleTypesTolerateOcrErrors) {
  EXPECT_EQ(classify::title_type("tokhaidangkykhaisinh"), "to_khai");
  EXPECT_EQ(classify::title_type("totrinhvevieedenghi"), "van_ban_hanh_chinh");  // a tờ trình is not a tờ khai
  EXPECT_EQ(classify::title_type("giaychungnhanketbon"), "giay_chung_nhan_ket_hon");
  EXPECT_EQ(classify::title_type("giayxacnhantinhtranghonnban"), "giay_xac_nhan_tinh_trang_hon_nhan");
  EXPECT_EQ(classify::title_type("giaytiepnhanhosovahentraketqua"), "bien_nhan");
  EXPECT_EQ(classify::title_type("giaychungnhanquyensudungdat"), "giay_chung_nhan_qsdd");
  EXPECT_EQ(classify::title_type("giaychungnhandangkyhokinhdoanh"), "giay_chung_nhan_dkkd");
  EXPECT_EQ(classify::title_type("quyetdjnh"), "quyet_dinh");
  EXPECT_EQ(classify::title_type("bangtotnghieptrunghocphothong"), "van_bang");
  EXPECT_EQ(classify::title_type("nguyenvanan"), "");
}

TEST(Classify, FormsAreSingleUse) {
  Classification c = cls(with_header({"^TỜ KHAI ĐĂNG KÝ KHAI SINH", "Kính gửi: Ủy ban nhân dân phường Vĩnh Hải",
                                      "Họ, chữ đệm, tên người yêu cầu: Lý Trọng Đạt"}));
  EXPECT_EQ(c.doc_type, "to_khai");
  EXPECT_EQ(c.cls, "single_use");
  EXPECT_FALSE(c.review);
  EXPECT_FALSE(c.evidence.empty());
  // OCR lost the diacritics and split a word
  c = cls(with_header({"^DON DE NGH I CAP GIAY PHEP XAY DUNG", "Kinh gui: Uy ban nhan dan huyen Dien Khanh"}));
  EXPECT_EQ(c.doc_type, "don");
  EXPECT_EQ(cls(with_header({"^PHIẾU YÊU CẦU CHỨNG THỰC"})).doc_type, "phieu");
  EXPECT_EQ(cls({"UBND PHƯỜNG VĨNH HẢI || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ || Độc lập - Tự do - Hạnh phúc",
                 "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"})
                .doc_type,
            "bien_nhan");
}

TEST(Classify, CertificatesAndOfficialPapersAreReusable) {
  EXPECT_EQ(cls(with_header({"^GIẤY KHAI SINH", "Họ, chữ đệm, tên: NGUYỄN AN"})).doc_type, "giay_khai_sinh");
  EXPECT_EQ(cls(with_header({"^GIAY CHUNG NHAN KET HON"})).doc_type, "giay_chung_nhan_ket_hon");
  EXPECT_EQ(cls(with_header({"^TRÍCH LỤC KHAI TỬ", "(BẢN SAO)"})).doc_type, "trich_luc");
  EXPECT_EQ(cls(with_header({"^GIẤY CHỨNG NHẬN", "^QUYỀN SỬ DỤNG ĐẤT", "^QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC"})).doc_type,
            "giay_chung_nhan_qsdd");
  Classification tt = cls({"UBND HUYỆN DIÊN KHÁNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "PHÒNG TƯ PHÁP || Độc lập - Tự do - Hạnh phúc",
                           "Số: 12/TTr-TP || Diên Khánh, ngày 3 tháng 5 năm 2022", "^TỜ TRÌNH",
                           "^Về việc đề nghị phê duyệt kế hoạch kiểm tra năm 2022"});
  EXPECT_EQ(tt.doc_type, "van_ban_hanh_chinh");
  EXPECT_EQ(tt.cls, "reusable");
  // a công văn has no title: "V/v" under the number and "Kính gửi"
  Classification cv = cls({"UBND TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "SỞ TƯ PHÁP || Độc lập - Tự do - Hạnh phúc",
                           "Số: 245/STP-HCTP || Khánh Hòa, ngày 14 tháng 6 năm 2023",
                           "V/v tăng cường công tác tiếp nhận hồ sơ", "Kính gửi: Ủy ban nhân dân các xã, phường"});
  EXPECT_EQ(cv.doc_type, "van_ban_hanh_chinh");
  // ... even when its body cites decision after decision, the words a model takes for a quyết định.
  std::vector<std::string> citing = {"UBND TỈNH THÁI BÌNH || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                     "UBND HUYỆN KIẾN XƯƠNG || Độc lập - Tự do - Hạnh phúc",
                                     "Số: 3531/UBND-NV || Thái Bình, ngày 04 tháng 01 năm 2024",
                                     "V/v tăng cường kỷ luật, kỷ cương trong", "giải quyết thủ tục hành chính",
                                     "Kính gửi: Các phòng, ban chuyên môn"};
  for (int i = 0; i < 6; ++i)
    citing.push_back("Căn cứ Quyết định số 2" + std::to_string(i) + "/QĐ-UBND ngày 12/12/2022 của Chủ tịch UBND quyết định "
                     "phê duyệt, Quyết định số 6" + std::to_string(i) + "/QĐ-TTg của Thủ tướng; quyết định này có hiệu lực");
  Classification cited = cls(citing);
  EXPECT_EQ(cited.doc_type, "van_ban_hanh_chinh");
  bool said = false;
  for (auto& e : cited.evidence) said |= e.find("without a type abbreviation") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(Classify, ACongVanWhoseSubjectLineOcrLostIsKnownByItsRecipients) {
  // A photo: the number and "V/v" read as junk ("Vív tng"), the national header half lost; left
  // are "Kính gửi" at the top and, at the foot, the list of recipients an official's letter
  // ends with (NĐ 30/2020), its "Nơi" misread.
  std::vector<std::string> lines = {"NƯ Ủ ẤN ĐỀN", "MÁ. 44 (5 (LIHEIIPIE E2E10X44", "Vív tng, lsỤg: sáu»: tà @áy ch",
                                    "ĐÔNG (HÓA XÃ HỘI €HÍ: MOHÍA VI NAM", "Kinh gửi: Chủ tịch UBND các xã, thị trấn,"};
  for (int i = 0; i < 8; ++i)
    lines.push_back("Để triển khai thực hiện chính sách đảm bảo kịp thời, đề nghị gia đình làm đơn không nhận hỗ trợ " +
                    std::to_string(i));
  for (const char* l : {"Yêu cầu Ủy ban nhân dân các xã nghiêm túc thực hiện,", "Nưi nhận:", "- Như trên;",
                        "- CT, các PCT UBND huyện;", "Lưu: VT,"})
    lines.push_back(l);
  const Classification c = cls(lines);
  EXPECT_EQ(c.doc_type, "van_ban_hanh_chinh");
  bool said = false;
  for (auto& e : c.evidence) said |= e.find("Nơi nhận") != std::string::npos;
  EXPECT_TRUE(said);
  // A citizen's application has "Kính gửi" too, and no recipients: not an official's letter.
  const Classification don = cls(with_header({"^ĐƠN ĐỀ NGHỊ", "Kính gửi: Ủy ban nhân dân xã Diên Lạc",
                                              "Tôi tên là: Nguyễn Văn An", "Người làm đơn"}));
  EXPECT_EQ(don.doc_type, "don");
}

TEST(Classify, ALetterCitingAResolutionAndDecisionsIsNoDecision) {
  // A công văn whose body cites a resolution by its number and speaks of decisions: the number
  // in a sentence is not this paper's number line, and a paper that opens with "Kính gửi" is no
  // quyết định however many of its words are a decision's.
  std::vector<std::string> lines = {"LÝ HẠN NHÂN ĐẠN", "ĐHUVỆN TÍNH GIÁ", "Nó 41/3 /LIHEIĐE21190%4g",
                                    "Kính gửi: Chủ tịch UBND các xã, thị trấn.",
                                    "Thực hiện Nghị quyết số 42/NQ-CP ngày 09 tháng 4 năm 2020 của Chính phủ về các biện pháp hỗ trợ"};
  for (int i = 0; i < 6; ++i)
    lines.push_back("Căn cứ Quyết định số 15/2020/QĐ-TTg của Thủ tướng Chính phủ quy định việc thực hiện chính sách hỗ trợ, "
                    "Ủy ban nhân dân huyện quyết định phê duyệt danh sách " + std::to_string(i));
  for (const char* l : {"Nơi nhận:", "- Như trên;", "- Lưu: VT."}) lines.push_back(l);
  const Classification c = cls(lines);
  EXPECT_EQ(c.doc_type, "van_ban_hanh_chinh");
  for (auto& e : c.evidence) EXPECT_EQ(e.rfind("number:", 0), std::string::npos) << e;
  // The number line itself still names the type.
  const Classification qd = cls(with_header({"Số: 15/QĐ-UBND || Tĩnh Gia, ngày 16 tháng 4 năm 2020",
                                             "Căn cứ Luật Tổ chức chính quyền địa phương;", "Điều 1. Phê duyệt danh sách"}));
  EXPECT_EQ(qd.doc_type, "quyet_dinh");
}

TEST(Classify, CardSizedPageIsAnIdCard) {
  Classification c = cls({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CĂN CƯỚC CÔNG DÂN", "Số / No.: 056090001234",
                          "Họ và tên / Full name:", "TRẦN THỊ LAN"},
                         true);
  EXPECT_EQ(c.doc_type, "can_cuoc");
  EXPECT_EQ(c.cls, "reusable");
  bool card = false;
  for (auto& e : c.evidence) card |= e.find("card-sized") != std::string::npos;
  EXPECT_TRUE(card);
}

TEST(Classify, UnsureNeverSilentlySingleUse) {
  Classification c = cls({"lorem ipsum 12 34", "xyz"});
  EXPECT_EQ(c.cls, "reusable");
  EXPECT_TRUE(c.review);
  EXPECT_FALSE(c.review_reason.empty());
  std::vector<Page> empty = {make_page({})};
  Classification e = classify::classify(doc_of(empty), empty);
  EXPECT_EQ(e.doc_type, "khac");
  EXPECT_EQ(e.cls, "reusable");
  EXPECT_TRUE(e.review);
}

// A text made of what a class's training documents had is familiar; one made of features the class
// saw rarely is not, and the further below the floor the less the model's word counts.
TEST(ClassifyModel, FamiliarityFallsBelowTheClassFloor) {
  const std::string path = ::testing::TempDir() + "/familiar_nb.txt";
  {
    std::ofstream f(path);
    f << "classes quyet_dinh don\nprior -0.693 -0.693\ntemperature 1\n"
         "familiar_floor -2.5 -1e9\nfamiliar_spread 0.5 1\nfamiliar_accuracy 0.8\n"
         "f w:quyet -1.0 -6.0\nf w:dinh -1.2 -6.0\nf w:don -6.0 -1.0\nf w:xin -6.0 -1.1\nf w:khac -5.0 -5.0\n";
  }
  const classify::NbModel m = classify::load_model(path);
  ASSERT_TRUE(m.ok);
  ASSERT_EQ(m.familiar_floor.size(), 2u);
  const double typical = classify::typicality(m, classify::features("quyet dinh"), 0);
  EXPECT_NEAR(typical, -1.1, 1e-6);
  EXPECT_DOUBLE_EQ(classify::familiarity(m, typical, 0), 1.0);
  const double odd = classify::typicality(m, classify::features("quyet khac don"), 0);  // (-1 - 5 - 6) / 3 = -4
  EXPECT_NEAR(odd, -4.0, 1e-6);
  EXPECT_NEAR(classify::familiarity(m, odd, 0), std::exp(-3.0), 1e-6);  // 1.5 below the floor, spread 0.5
  EXPECT_DOUBLE_EQ(classify::familiarity(m, odd, 1), 1.0);  // a class without a floor never lowers
  // The posterior of an unfamiliar text counts as often as unfamiliar texts were right (0.8).
  EXPECT_NEAR(classify::confidence_factor(m, 0.0), 0.8, 1e-9);
  EXPECT_NEAR(classify::confidence_factor(m, classify::familiarity(m, odd, 0)), 0.8 + 0.2 * std::exp(-3.0), 1e-9);
  EXPECT_DOUBLE_EQ(classify::confidence_factor(m, 1.0), 1.0);
  // A model file without the lines: familiarity is always 1.
  {
    std::ofstream f(path);
    f << "classes quyet_dinh don\nprior -0.693 -0.693\ntemperature 1\nf w:quyet -1.0 -6.0\n";
  }
  EXPECT_DOUBLE_EQ(classify::familiarity(classify::load_model(path), -50, 0), 1.0);
}

// The committed model carries its floors (models/train.py --set-familiar): without them the model
// would again say 1.00 about layouts it never saw.
TEST(ClassifyModel, TheCommittedModelKnowsWhatIsFamiliar) {
  const classify::NbModel& m = classify::model();
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.familiar_floor.size(), m.classes.size());
  EXPECT_GT(m.familiar_accuracy, 0.5);
  EXPECT_LT(m.familiar_accuracy, 1.0);
}

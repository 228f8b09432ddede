#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "classify/classify.h"
#include "cls_test_util.h"
#include "extract/extract.h"
#include "extract/fields.h"

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

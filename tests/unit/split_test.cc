#include <gtest/gtest.h>

#include "split/split.h"

using namespace sohoa;

namespace {

Page page(const std::string& text, bool blank = false, bool separator = false) {
  Page p;
  p.ocr.text = text;
  p.info.blank = blank;
  p.info.separator = separator;
  return p;
}

const char* kHeader = "UBND TỈNH KHÁNH HÒA\nSở Tư pháp\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n";

std::vector<std::pair<int, int>> ranges(const std::vector<Document>& docs) {
  std::vector<std::pair<int, int>> r;
  for (const auto& d : docs) r.emplace_back(d.first_page, d.last_page);
  return r;
}

}  // namespace

TEST(Split, NationalHeaderFoundThroughOcrErrors) {
  EXPECT_TRUE(split::has_national_header(kHeader));
  EXPECT_TRUE(split::has_national_header("CONG HOA XA HOI CHU NGHIA VIET NAM\nQUYET DINH"));  // no diacritics
  EXPECT_TRUE(split::has_national_header("CỘNG HOÀ XÄ HỘl CHỦ NGHĨA VIỆT NAM"));              // misread letters
  EXPECT_TRUE(split::has_national_header("Mẫu số 01\nĐộc lập - Tự do - Hạnh phúc"));
  EXPECT_FALSE(split::has_national_header("2\nPHỤ LỤC\nDANH SÁCH THÀNH VIÊN"));
  // Far down the page it is a quotation, not a header.
  std::string body;
  for (int i = 0; i < 20; ++i) body += "dòng nội dung\n";
  EXPECT_FALSE(split::has_national_header(body + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

TEST(Split, StackCutAtHeadersAndSeparatorsBlanksStayInside) {
  std::vector<Page> pages = {
      page(std::string(kHeader) + "QUYẾT ĐỊNH"),  // 1 starts a decision
      page("", true),                             // 2 blank back of sheet 1
      page("2\nPHỤ LỤC"),                         // 3 continuation
      page("PATCH T", false, true),               // 4 separator
      page(std::string(kHeader) + "CĂN CƯỚC"),    // 5 ID card
      page(std::string(kHeader) + "ĐƠN ĐỀ NGHỊ"), // 6 a new form
      page("", true),                             // 7 blank at the end
  };
  auto docs = split::split_input({"a.pdf", std::nullopt, "abc"}, pages);
  EXPECT_EQ(ranges(docs), (std::vector<std::pair<int, int>>{{1, 3}, {5, 5}, {6, 7}}));
  EXPECT_EQ(docs[0].split_cue, "first_page");
  EXPECT_EQ(docs[1].split_cue, "separator_sheet");
  EXPECT_EQ(docs[2].split_cue, "national_header");
}

TEST(Split, BlankPagesNeverMakeARecord) {
  EXPECT_TRUE(split::split_input({"a.tif", std::nullopt, "x"}, {page("", true), page("", true)}).empty());
  // Leading blanks join the first document rather than standing alone.
  auto docs = split::split_input({"a.tif", std::nullopt, "x"}, {page("", true), page("Nội dung trang")});
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(ranges(docs), (std::vector<std::pair<int, int>>{{1, 2}}));
  EXPECT_EQ(docs[0].split_cue, "whole_input");
}

// The review desk's checks that need no HTTP and no OUT: which ids may name a record folder, and
// the feedback a clerk gets while typing a value (tests/e2e/test_desk*.py cover the rest).
#include <gtest/gtest.h>

#include "desk/desk.h"

using namespace sohoa;

TEST(Desk, OnlyRecordShapedIdsNameAFolder) {
  EXPECT_TRUE(desk::well_formed_id("0123456789abcdef-p001-002"));
  for (const char* bad : {"", "..", "../batch.json", "0123456789abcdef-p001-002/..", "0123456789ABCDEF-p001-002",
                          "0123456789abcdef-p001-002\n", "0123456789abcdef-p1-2", "/etc/passwd", "0123456789abcdef-p001-002/record.json"})
    EXPECT_FALSE(desk::well_formed_id(bad)) << bad;
}

TEST(Desk, FieldFeedbackFollowsTheCatalogue) {
  EXPECT_EQ(desk::check_field("giay_khai_sinh", "ngay_sinh", "2019-03-14"), "");
  EXPECT_NE(desk::check_field("giay_khai_sinh", "ngay_sinh", "14/03/2019"), "");
  EXPECT_NE(desk::check_field("giay_khai_sinh", "ngay_sinh", "2019-02-30"), "");  // no such day
  EXPECT_NE(desk::check_field("can_cuoc", "so_dinh_danh", "12"), "");
  EXPECT_EQ(desk::check_field("giay_khai_sinh", "ho_ten", "Nguyễn Thị Bảo Ngọc"), "");
  EXPECT_NE(desk::check_field("van_ban_hanh_chinh", "do_khan", "GẤP"), "");
  EXPECT_EQ(desk::check_field("van_ban_hanh_chinh", "do_khan", "HỎA TỐC"), "");
  EXPECT_NE(desk::check_field("giay_khai_sinh", "trich_yeu", std::string(3000, 'a')), "");
}

TEST(Desk, FieldFeedbackIsInVietnamese) {
  EXPECT_EQ(desk::check_field("can_cuoc", "so_dinh_danh", "12"), "số định danh cá nhân có 12 chữ số: 12");
  EXPECT_EQ(desk::in_vietnamese("century digit 2 does not fit the birth year 1985: 001285000001"),
            "chữ số thế kỷ 2 không khớp năm sinh 1985: 001285000001");
  EXPECT_EQ(desk::in_vietnamese("not a number and symbol (like 12/QĐ-UBND): abc"),
            "không phải số và ký hiệu (như 12/QĐ-UBND): abc");
  // Whatever a validator says that the desk has no words for reaches the clerk unchanged.
  EXPECT_EQ(desk::in_vietnamese("something new"), "something new");
  // Every message of the name validator the clerk can meet is said in Vietnamese.
  const std::string name = desk::check_field("giay_khai_sinh", "ho_ten", "Nguyễn");
  EXPECT_EQ(name.rfind("họ tên gồm 2 đến 7 tiếng", 0), 0u) << name;
}

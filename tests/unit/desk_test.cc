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

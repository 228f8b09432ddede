#include <gtest/gtest.h>

#include <cmath>

#include "prepare/prepare.h"
#include "test_helpers.h"

using namespace sohoa;

TEST(Prepare, DeskewRecoversAKnownAngleWithinTwoTenthsOfADegree) {
  Image page = fixtures::text_like_page();
  for (double angle : {-4.0, -1.5, 2.0, 3.0}) {
    Image tilted = prepare::rotate_by(page, angle);
    const prepare::Skew skew = prepare::measure_skew(tilted);
    // Rotating back by the measured angle must undo the tilt.
    EXPECT_NEAR(skew.degrees, -angle, 0.2) << "tilt " << angle;
    EXPECT_GT(skew.confidence, 2.5);
  }
}

TEST(Prepare, StraightPageMeasuresNoSkew) {
  const prepare::Skew skew = prepare::measure_skew(fixtures::text_like_page());
  EXPECT_NEAR(skew.degrees, 0.0, 0.1);
}

TEST(Prepare, BlankPageIsBlankEvenWithSpecksAndBorders) {
  PIX* pix = pixCreate(2480, 3508, 8);
  pixSetAllArbitrary(pix, 250);
  // Dark scanner border and dust specks: still the blank back of a sheet.
  BOX* border = boxCreate(0, 0, 120, 3508);
  pixSetInRectArbitrary(pix, border, 10);
  boxDestroy(&border);
  for (int i = 0; i < 40; ++i) pixSetPixel(pix, 400 + i * 40, 900 + i * 50, 0);
  Image blank(pix);
  EXPECT_TRUE(prepare::is_blank(blank));
  EXPECT_FALSE(prepare::is_blank(fixtures::text_like_page()));
}

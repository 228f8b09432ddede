#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/sniff.h"

using namespace sohoa::ingest;

static Format sniff_str(const std::string& s) {
  std::vector<uint8_t> b(s.begin(), s.end());
  return sniff(b);
}

TEST(Sniff, ByContentNotName) {
  EXPECT_EQ(sniff_str(""), Format::empty);
  EXPECT_EQ(sniff_str("%PDF-1.7\n"), Format::pdf);
  EXPECT_EQ(sniff_str("junk before %PDF-1.4"), Format::pdf);
  EXPECT_EQ(sniff_str(std::string("II*\0", 4) + "xxxx"), Format::tiff);
  EXPECT_EQ(sniff_str(std::string("MM\0*", 4) + "xxxx"), Format::tiff);
  EXPECT_EQ(sniff_str("\xFF\xD8\xFF\xE0"), Format::jpeg);
  EXPECT_EQ(sniff_str("\x89PNG\r\n\x1a\n...."), Format::png);
  EXPECT_EQ(sniff_str("PK\x03\x04...."), Format::zip);
  EXPECT_EQ(sniff_str("hello, this is a text file named .tif"), Format::unknown);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  EXPECT_EQ(sniff_str(tar), Format::tar);
  EXPECT_TRUE(is_archive(Format::zip));
  EXPECT_FALSE(is_archive(Format::pdf));
}

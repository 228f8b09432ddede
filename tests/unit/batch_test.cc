#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "batch/batch.h"
#include "test_helpers.h"

using namespace sohoa;

namespace {

void write_png(const std::filesystem::path& path, const Image& img) {
  pixWrite(path.c_str(), img.get(), IFF_PNG);
}

}  // namespace

TEST(Batch, OneBadInputNeverStopsTheBatch) {
  auto dir = fixtures::temp_dir("batch");
  auto in = dir / "in", out = dir / "out";
  std::filesystem::create_directories(in / "HS-1");
  write_png(in / "HS-1" / "a.png", fixtures::text_like_page(1200, 1700, 1));
  write_png(in / "HS-1" / "b.png", fixtures::text_like_page(1200, 1700, 2));
  std::ofstream(in / "HS-1" / "broken.jpg") << "\xFF\xD8\xFF\xE0 not really";
  batch::Config config;
  config.inputs = {in};
  config.out = out;
  config.jobs = 2;
  config.progress = false;
  auto summary = batch::run(config, [] { return std::make_unique<fixtures::FakeEngine>(); });
  EXPECT_EQ(summary.records, 2);
  ASSERT_EQ(summary.errors.size(), 1u);
  EXPECT_EQ(summary.errors[0].path, "HS-1/broken.jpg");

  nlohmann::json j = nlohmann::json::parse(std::ifstream(out / "batch.json"));
  EXPECT_EQ(j["records"], 2);
  EXPECT_EQ(j["pages"], 2);
  EXPECT_EQ(j["errors"][0]["path"], "HS-1/broken.jpg");
  for (const auto& item : j["items"]) {
    ASSERT_EQ(item["records"].size(), 1u);
    std::ifstream t(out / "records" / item["records"][0].get<std::string>() / "text.txt");
    std::string text((std::istreambuf_iterator<char>(t)), {});
    EXPECT_EQ(text, "Giấy phép\n");
  }
}

TEST(Batch, UnwritableOutputStopsWithAClearError) {
  auto dir = fixtures::temp_dir("batch-ro");
  std::filesystem::create_directories(dir / "in");
  write_png(dir / "in" / "a.png", fixtures::text_like_page(600, 800));
  std::ofstream(dir / "file") << "x";
  batch::Config config;
  config.inputs = {dir / "in"};
  config.out = dir / "file" / "out";  // a folder below a file cannot exist
  config.progress = false;
  try {
    batch::run(config, [] { return std::make_unique<fixtures::FakeEngine>(); });
    FAIL() << "the batch ran without an output folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_io);
    EXPECT_NE(std::string(e.what()).find("output folder"), std::string::npos);
  }
}

#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <atomic>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/text.h"
#include "output/pdf_writer.h"
#include "output/record_writer.h"
#include "test_helpers.h"

using namespace sohoa;

namespace {

OcrResult two_lines() {
  OcrResult r;
  r.lines = {{{200, 300, 1500, 60}, 350}, {{200, 420, 1500, 60}, 470}};
  r.words = {{"Nguyễn", {200, 300, 400, 60}, 95, 0},
             {"Văn", {650, 300, 250, 60}, 95, 0},
             {"An", {950, 300, 160, 60}, 95, 0},
             {"Quyết", {200, 420, 380, 60}, 90, 1},
             {"định", {620, 420, 300, 60}, 90, 1}};
  r.text = "Nguyễn Văn An\nQuyết định";
  r.mean_confidence = 93;
  return r;
}

}  // namespace

TEST(PdfWriter, InvisibleTextLayerGivesTheWordsBack) {
  Image page = fixtures::text_like_page(2480, 3508);
  EncodedImage enc = output::encode_page_image(page);
  OcrResult ocr = two_lines();
  const std::string pdf = output::write_pdf({{&enc, &ocr, 300}}, {"Giấy khai sinh", "sohoa test"});
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(pdf.data(), pdf.size()));
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->pages(), 1);
  std::unique_ptr<poppler::page> p(doc->create_page(0));
  const auto bytes = p->text().to_utf8();
  const std::string text = text::collapse_spaces(std::string(bytes.begin(), bytes.end()));
  EXPECT_EQ(text, "Nguyễn Văn An Quyết định");
  // A4 at 300 dpi is 595 x 842 points.
  EXPECT_NEAR(p->page_rect().width(), 595.2, 0.5);
  EXPECT_NEAR(p->page_rect().height(), 842.0, 0.5);
  // Words sit where the scan printed them: "An" starts at x=950 px = 228 pt.
  bool found = false;
  for (const auto& box : p->text_list()) {
    const auto t = box.text().to_utf8();
    if (text::trim(std::string(t.begin(), t.end())) != "An") continue;
    found = true;
    EXPECT_NEAR(box.bbox().left(), 950 * 72.0 / 300, 2.0);
    EXPECT_NEAR(box.bbox().top(), 300 * 72.0 / 300, 6.0);
  }
  EXPECT_TRUE(found);
}

TEST(PdfWriter, SameInputSameBytes) {
  Image page = fixtures::text_like_page(1000, 1400);
  EncodedImage enc = output::encode_page_image(page);
  OcrResult ocr = two_lines();
  EXPECT_EQ(output::write_pdf({{&enc, &ocr, 300}}, {"x", "y"}), output::write_pdf({{&enc, &ocr, 300}}, {"x", "y"}));
}

TEST(RecordWriter, WritesTheContractAndAStableName) {
  auto out = fixtures::temp_dir("record");
  std::vector<Page> pages(2);
  pages[0].info.number = 1;
  pages[0].ocr = two_lines();
  pages[0].image = output::encode_page_image(fixtures::text_like_page(1000, 1400));
  pages[1].info.number = 2;
  pages[1].info.blank = true;
  Record r;
  r.document.source = {"HS-1/a.pdf", std::nullopt, std::string(64, 'a')};
  r.document.first_page = 1;
  r.document.last_page = 2;
  r.document.pages = {0, 1};
  r.document.source.dossier = "HS-1";
  r.id = output::record_id(r.document.source, 1, 2);
  // sha256("HS-1\nHS-1/a.pdf\n")[:16]: where it came from, not what it holds.
  EXPECT_EQ(r.id, "b4fd641638480863-p001-002");
  r.metadata["ho_ten"] = {"Nguyễn Văn An", "ocr", 1};
  auto dir = output::write_record(out, r, pages);
  EXPECT_EQ(dir, out / "records" / r.id);
  nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / "record.json"));
  EXPECT_EQ(j["source"]["path"], "HS-1/a.pdf");
  EXPECT_TRUE(j["source"]["member"].is_null());
  EXPECT_EQ(j["source"]["pages"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(j["metadata"]["ho_ten"], "Nguyễn Văn An");
  EXPECT_TRUE(j["metadata"]["so_ky_hieu"].is_null());
  EXPECT_EQ(j["pages"][1]["blank"], true);
  std::ifstream t(dir / "text.txt");
  std::string text((std::istreambuf_iterator<char>(t)), {});
  EXPECT_EQ(text, "Nguyễn Văn An\nQuyết định\f\n");
  // No temporary folder is left behind.
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(out / "records")) ++entries;
  EXPECT_EQ(entries, 1);
  // Writing again replaces the record in place.
  output::write_record(out, r, pages);
  EXPECT_TRUE(std::filesystem::exists(dir / "document.pdf"));
}

TEST(RecordWriter, TheIdNamesWhereTheDocumentCameFromNotItsBytes) {
  const std::string bytes_hash(64, 'a');
  const SourceRef in_one{"HS-1/cccd.jpg", std::nullopt, bytes_hash, "HS-1"};
  const SourceRef in_other{"HS-2/cccd.jpg", std::nullopt, bytes_hash, "HS-2"};
  const SourceRef renamed{"HS-1/cccd (2).jpg", std::nullopt, bytes_hash, "HS-1"};
  const SourceRef member{"HS-1/all.zip", "cccd.jpg", bytes_hash, "HS-1"};
  const SourceRef other_member{"HS-1/all.zip", "cccd2.jpg", bytes_hash, "HS-1"};
  std::set<std::string> ids;
  for (const SourceRef* s : {&in_one, &in_other, &renamed, &member, &other_member}) ids.insert(output::record_id(*s, 1, 1));
  EXPECT_EQ(ids.size(), 5u);
  // Stable: the same place gives the same id whatever the bytes became.
  SourceRef changed = in_one;
  changed.sha256 = std::string(64, 'b');
  EXPECT_EQ(output::record_id(changed, 1, 1), output::record_id(in_one, 1, 1));
  EXPECT_NE(output::record_id(in_one, 1, 1), output::record_id(in_one, 1, 2));
  EXPECT_EQ(output::record_id(in_one, 2, 3).substr(16), "-p002-003");
}

// Two dossiers holding the same file keep one original; their workers write it at the same moment
// (the CI failure "cannot name originals/<sha>.png.tmp-<pid>: File exists").
TEST(WriteAtomic, ManyWritersOfOneFileAllSucceed) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("sohoa-atomic-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string content(1 << 16, 'x');
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          fs::write_atomic(dir / "same.png", content);
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(std::filesystem::file_size(dir / "same.png"), content.size());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary left behind
  std::filesystem::remove_all(dir);
}

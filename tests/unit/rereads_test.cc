// Item numbers Tesseract's layout dropped are read again beside their lines, and nothing else is.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <map>
#include <memory>
#include <regex>
#include <string>

#include "core/image.h"
#include "core/text.h"
#include "ocr/rereads.h"

using namespace sohoa;

namespace {

// The page's words and lines as Tesseract reads them, before any of sohoa's re-reads.
OcrResult read_page(tesseract::TessBaseAPI& api) {
  OcrResult r;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  do {
    if (it->Empty(tesseract::RIL_WORD)) continue;
    int l, t, rt, b;
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || r.lines.empty()) {
      it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &rt, &b);
      r.lines.push_back({{l, t, rt - l, b - t}, b});
    }
    std::unique_ptr<char[]> w(it->GetUTF8Text(tesseract::RIL_WORD));
    it->BoundingBox(tesseract::RIL_WORD, &l, &t, &rt, &b);
    r.words.push_back({text::nfc(w.get()), {l, t, rt - l, b - t}, it->Confidence(tesseract::RIL_WORD),
                       static_cast<int>(r.lines.size()) - 1});
  } while (it->Next(tesseract::RIL_WORD));
  return r;
}

const OcrWord* first_word(const OcrResult& r, int line) {
  const OcrWord* f = nullptr;
  for (const OcrWord& w : r.words)
    if (w.line == line && (!f || w.box.x < f->box.x)) f = &w;
  return f;
}

/// A request form with six numbered items and a personal number (bundled sample, slightly
/// skewed scan), recognised by Tesseract as the engine does before its re-reads.
struct Form {
  const std::string path = std::string(SOHOA_SAMPLES_DIR) + "/scans/HS-000125/don-xin-gpxd.png";
  Image page;
  tesseract::TessBaseAPI api;
  bool read() {
    PIX* raw = pixRead(path.c_str());
    if (!raw) return false;
    page = Image(pixConvertTo8(raw, 0));
    pixDestroy(&raw);
    if (api.Init(nullptr, "vie", tesseract::OEM_LSTM_ONLY) != 0) return false;
    api.SetVariable("debug_file", "/dev/null");
    api.SetPageSegMode(tesseract::PSM_AUTO);
    api.SetImage(page.get());
    api.SetSourceResolution(300);
    return api.Recognize(nullptr) == 0;
  }
};

}  // namespace

TEST(ItemNumbers, NumbersTheLayoutDroppedAreReadAgainAndNothingElse) {
  Form form;
  ASSERT_TRUE(form.read()) << form.path;
  tesseract::TessBaseAPI& api = form.api;
  const Image& page = form.page;
  OcrResult r = read_page(api);
  Pix* ink = api.GetThresholdedImage();
  ASSERT_NE(ink, nullptr);

  // What Tesseract does on some scans: the numbers at the lines' starts are gone.
  const std::regex number(R"(\d\.)");
  std::map<int, std::string> dropped;  // line -> its number
  for (size_t li = 0; li < r.lines.size(); ++li) {
    const OcrWord* f = first_word(r, static_cast<int>(li));
    if (f && std::regex_match(f->text, number)) dropped[static_cast<int>(li)] = f->text;
  }
  ASSERT_GE(dropped.size(), 4u) << "the sample's items were not read as numbered lines";
  std::erase_if(r.words, [&](const OcrWord& w) { return dropped.count(w.line) && std::regex_match(w.text, number); });
  const size_t words_left = r.words.size();
  const std::vector<OcrWord> before = r.words;

  EXPECT_TRUE(ocr::restore_item_numbers(api, page, ink, r, std::vector<bool>(r.lines.size(), false)));
  pixDestroy(&ink);
  // Each number is back at the start of its own line, as first read; no other line gained a word.
  for (const auto& [line, text] : dropped) {
    const OcrWord* f = first_word(r, line);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->text, text) << "line " << line;
  }
  EXPECT_EQ(r.words.size(), words_left + dropped.size());
  for (const OcrWord& b : before) {
    bool kept = false;
    for (const OcrWord& w : r.words) kept = kept || (w.text == b.text && w.box.x == b.box.x && w.box.y == b.box.y);
    if (!kept) ADD_FAILURE() << "lost '" << b.text << "' line " << b.line << " x " << b.box.x;
  }
}

TEST(MisreadDigits, ANumberWithAGlyphAmongItsDigitsIsReadAgain) {
  // The bundled form's identity number, as Tesseract reads it from FreeSerif ("§" for 8, "ó"
  // for 6): the word's box is read again with digits alone.
  Form form;
  ASSERT_TRUE(form.read()) << form.path;
  tesseract::TessBaseAPI& api = form.api;
  OcrResult r = read_page(api);
  const std::regex long_number(R"([0-9]{9,12})");
  OcrWord* number = nullptr;
  for (OcrWord& w : r.words)
    if (std::regex_match(w.text, long_number)) number = &w;
  ASSERT_NE(number, nullptr) << "no identity number read on the sample";
  const std::string truth = number->text;
  const float first_conf = number->confidence;
  number->text = truth.substr(0, 3) + "§" + truth.substr(4, 3) + "ó" + truth.substr(8);
  const std::vector<OcrWord> before = r.words;

  ocr::reread_misread_digits(api, r);
  EXPECT_EQ(number->text, truth);
  // A word read twice is kept under the digit fields' bar, however sure either reading was.
  EXPECT_LE(number->confidence, std::min(first_conf, 60.f));
  // Every other word is as it was read.
  ASSERT_EQ(r.words.size(), before.size());
  for (size_t i = 0; i < r.words.size(); ++i)
    if (&r.words[i] != number) EXPECT_EQ(r.words[i].text, before[i].text);
  // The month of "ngày 09 tháng 01 năm 2020" read as glyphs ("OÌ"): read again as digits.
  size_t month = r.words.size();
  for (size_t i = 1; i + 1 < r.words.size(); ++i)
    if (text::fold(r.words[i - 1].text) == "thang" && text::fold(r.words[i + 1].text) == "nam" && r.words[i].text == "01") month = i;
  ASSERT_LT(month, r.words.size()) << "the sample's place-date line was not read";
  r.words[month].text = "OÌ";
  ocr::reread_misread_digits(api, r);
  EXPECT_EQ(r.words[month].text, "01");
  // A word of letters with a digit-like glyph is no number and is left alone.
  OcrResult letters;
  letters.lines.push_back({number->box, number->box.y + number->box.h});
  letters.words.push_back({"lOl", number->box, 90.f, 0});
  ocr::reread_misread_digits(api, letters);
  EXPECT_EQ(letters.words[0].text, "lOl");
}

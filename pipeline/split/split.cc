#include "split/split.h"

#include <algorithm>
#include <vector>

#include "core/text.h"

namespace sohoa::split {
namespace {

constexpr int kHeaderLines = 12;  // the header sits in the first lines of the reading order

/// Only the letters a-z of the folded text: OCR breaks spaces and punctuation freely.
std::string letters(const std::string& folded) {
  std::string out;
  for (char c : folded)
    if (c >= 'a' && c <= 'z') out.push_back(c);
  return out;
}

/// Fewest edits turning `pattern` into some substring of `text` (Sellers' algorithm).
int approximate_find(const std::string& pattern, const std::string& text) {
  const size_t m = pattern.size();
  std::vector<int> col(m + 1), prev(m + 1);
  for (size_t i = 0; i <= m; ++i) prev[i] = static_cast<int>(i);
  int best = static_cast<int>(m);
  for (char c : text) {
    col[0] = 0;  // a match may start anywhere
    for (size_t i = 1; i <= m; ++i)
      col[i] = std::min({prev[i] + 1, col[i - 1] + 1, prev[i - 1] + (pattern[i - 1] == c ? 0 : 1)});
    best = std::min(best, col[m]);
    std::swap(col, prev);
  }
  return best;
}

}  // namespace

bool has_national_header(const std::string& page_text) {
  std::string top;
  int lines = 0;
  for (size_t i = 0; i < page_text.size() && lines < kHeaderLines; ++i) {
    top.push_back(page_text[i]);
    if (page_text[i] == '\n') ++lines;
  }
  const std::string t = letters(text::fold(top));
  static const std::string republic = "conghoaxahoichunghiavietnam";  // 27 letters
  static const std::string motto = "doclaptudohanhphuc";              // 18 letters
  return approximate_find(republic, t) <= 5 || approximate_find(motto, t) <= 3;
}

std::vector<Document> split_input(const SourceRef& source, const std::vector<Page>& pages) {
  std::vector<Document> docs;
  std::vector<int> pending_blanks;  // blank pages waiting for a document to belong to
  bool open = false, after_separator = false;
  auto start = [&](int i, const char* cue) {
    Document d;
    d.source = source;
    d.pages = pending_blanks;
    d.pages.push_back(i);
    d.split_cue = cue;
    pending_blanks.clear();
    docs.push_back(std::move(d));
    open = true;
  };
  for (int i = 0; i < static_cast<int>(pages.size()); ++i) {
    const PageInfo& info = pages[i].info;
    if (info.separator) {
      open = false;
      after_separator = true;
      pending_blanks.clear();  // blanks before a separator close nothing and belong to no one
      continue;
    }
    if (info.unusable()) {
      if (open) docs.back().pages.push_back(i);
      else pending_blanks.push_back(i);
      continue;
    }
    if (!open) {
      start(i, after_separator ? "separator_sheet" : "first_page");
    } else if (has_national_header(pages[i].ocr.text)) {
      start(i, "national_header");
    } else {
      docs.back().pages.push_back(i);
    }
  }
  for (Document& d : docs) {
    d.first_page = d.pages.front() + 1;
    d.last_page = d.pages.back() + 1;
  }
  if (docs.empty() && std::any_of(pages.begin(), pages.end(), [](const Page& p) { return !p.info.error.empty(); })) {
    // Every readable page was blank but some failed: keep the failed pages on record.
  }
  if (docs.size() == 1 && docs[0].first_page == 1 && docs[0].last_page == static_cast<int>(pages.size()))
    docs[0].split_cue = "whole_input";
  return docs;
}

}  // namespace sohoa::split

#include "classify/titles.h"

#include <algorithm>
#include <cstdlib>

#include "core/text.h"
#include "doctypes/doctypes.h"

namespace sohoa::classify {

namespace {

/// Smallest edit distance between pat and any prefix of s.
int prefix_distance(std::string_view pat, std::string_view s) {
  const size_t n = pat.size(), m = std::min(s.size(), pat.size() + 3);
  std::vector<int> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pat[i - 1] == s[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  // only prefixes about as long as the pattern: a short tail must not be deleted away
  int best = 99;
  for (size_t j = n > 0 ? n - 1 : 0; j <= std::min(m, n + 1); ++j) best = std::min(best, prev[j]);
  return best;
}

bool national_header(const std::string& c) {
  return c.find("conghoa") != std::string::npos || c.find("xahoichu") != std::string::npos ||
         c.find("chunghiavietnam") != std::string::npos || c.find("doclap") != std::string::npos ||
         c.find("hanhphuc") != std::string::npos || c.find("socialist") != std::string::npos ||
         c.find("independence") != std::string::npos;
}

}  // namespace

std::string title_type(std::string_view c, bool* exact, std::string* kind) {
  const doctypes::TitlePattern* best = nullptr;
  int best_d = 99;
  for (const doctypes::TitlePattern& p : doctypes::catalogue().titles) {
    std::string_view pat(p.compact);
    if (c.size() + 1 < pat.size()) continue;
    // A one-word title ("ĐƠN", "LUẬT") is too short to be matched by prefix: the first word
    // must be it, which find_title checks.
    if (p.first_word) continue;
    int allowed = static_cast<int>(pat.size()) / 6;
    int d = c.substr(0, pat.size()) == pat ? 0 : allowed ? prefix_distance(pat, c) : 99;
    if (d > allowed) continue;
    // Longest match wins, so specific names ("giaychungnhanketh…") beat generic ones.
    if (!best || pat.size() > best->compact.size() || (pat.size() == best->compact.size() && d < best_d)) {
      best = &p;
      best_d = d;
    }
  }
  if (exact) *exact = best_d == 0;
  if (kind) *kind = best ? best->kind : "";
  return best ? best->code : "";
}

/// A one-word title: the first word of the line is exactly it ("ĐƠN", "LUẬT").
std::string first_word_type(const std::string& folded_first_word, std::string* kind) {
  const std::string w = layout::compact(folded_first_word);
  for (const doctypes::TitlePattern& p : doctypes::catalogue().titles)
    if (p.first_word && p.compact == w) {
      *kind = p.kind;
      return p.code;
    }
  return {};
}

TitleMatch find_title(const std::vector<layout::PageLayout>& pls) {
  TitleMatch best;
  int pages_seen = 0;
  for (const layout::PageLayout& pl : pls) {
    if (pl.segs.empty()) continue;
    if (++pages_seen > 2) break;
    bool header_seen = false;
    const auto& segs = pl.segs;
    for (size_t i = 0; i < segs.size() && i < 40; ++i) {
      const layout::Seg& s = segs[i];
      if (s.has_box && pl.height > 0 && s.box.y > pl.height * 0.6) break;
      std::string c = layout::compact(s.folded);
      if (national_header(c)) {
        header_seen = true;
        continue;
      }
      double up = layout::upper_ratio(s.text);
      if (up < 0.55 || c.size() < 3) continue;
      // A title may run over two or three lines ("GIẤY CHỨNG NHẬN" / "QUYỀN SỬ DỤNG ĐẤT").
      std::string joined = c, shown = s.text;
      for (size_t k = i + 1; k < segs.size() && k <= i + 2; ++k) {
        if (layout::upper_ratio(segs[k].text) < 0.55) break;
        joined += layout::compact(segs[k].folded);
        shown += " / " + segs[k].text;
      }
      bool exact = false;
      std::string kind;
      std::string type = title_type(joined, &exact, &kind);
      if (type.empty()) {
        type = first_word_type(s.folded.substr(0, s.folded.find(' ')), &kind);
        exact = !type.empty();
      }
      if (type.empty()) continue;
      double score = exact ? 0.9 : 0.8;
      if (s.has_box && pl.width > 0) {
        // Centred on the page, or on its own panel or card where the page holds two side by
        // side (a bilingual diploma, a card's front and back photocopied on one sheet).
        const bool own_frame = (s.role == RegionRole::panel || s.role == RegionRole::card) && s.region_box.w > 0;
        const double left = own_frame ? s.region_box.x : 0, width = own_frame ? s.region_box.w : pl.width;
        double cx = s.box.x + s.box.w / 2.0;
        if (std::abs(cx - (left + width / 2.0)) < width * 0.15) score += 0.05;
        else score -= 0.15;
      }
      if (header_seen) score += 0.03;
      if (up < 0.8) score -= 0.1;
      if (pages_seen > 1) score -= 0.1;
      if (score > best.score) {
        best.doc_type = type;
        best.kind = kind;
        best.line = shown;
        best.score = std::min(0.97, score);
        best.page_no = pl.page_no;
      }
      if (best.score >= 0.9) return best;
    }
  }
  return best;
}

}  // namespace sohoa::classify

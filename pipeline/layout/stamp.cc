#include "layout/stamp.h"

#include <algorithm>

#include "layout/layout.h"

namespace sohoa::layout {
namespace {

bool inside(const Box& w, const Box& seal) {
  return overlap_area(w, seal) * 10 >= static_cast<long long>(w.w) * w.h * 9;  // 90% of the word
}

}  // namespace

void add_stamps(Page& page, const std::vector<Box>& seals) {
  if (seals.empty()) return;
  for (const Box& seal : seals) {
    Region stamp;
    stamp.role = RegionRole::stamp;
    stamp.box = seal;
    size_t after = page.regions.size();
    long long best = 0;
    for (size_t i = 0; i < page.regions.size(); ++i) {
      Region& r = page.regions[i];
      if (const long long o = overlap_area(r.box, seal); o > best) {
        best = o;
        after = i;
      }
      for (auto it = r.lines.begin(); it != r.lines.end();) {
        double conf = 0;
        int n = 0;
        bool all_inside = true;
        for (const auto& cell : it->cells)
          for (int id : cell) {
            all_inside = all_inside && inside(page.ocr.words[id].box, seal);
            conf += page.ocr.words[id].confidence;
            ++n;
          }
        if (n > 0 && all_inside && conf / n < 60) {
          stamp.lines.push_back(std::move(*it));
          it = r.lines.erase(it);
        } else {
          ++it;
        }
      }
    }
    const auto at = page.regions.begin() + static_cast<long>(after == page.regions.size() ? after : after + 1);
    page.regions.insert(at, std::move(stamp));
  }
  // A region whose every line went to a stamp is gone.
  page.regions.erase(std::remove_if(page.regions.begin(), page.regions.end(),
                                    [](const Region& r) { return r.lines.empty() && r.role != RegionRole::stamp; }),
                     page.regions.end());
  for (size_t i = 0; i < page.regions.size(); ++i) page.regions[i].order = static_cast<int>(i);
  page.ocr.text = text_of(page.ocr, page.regions);
}

}  // namespace sohoa::layout

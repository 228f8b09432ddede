// What every ingest fuzz target does with one input: open it the way the batch does, under small
// limits, and load every page. sohoa::Error is the expected way to refuse; anything else is a bug.
#pragma once
#include <leptonica/allheaders.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/error.h"
#include "ingest/page_source.h"
#include "ingest/sniff.h"

namespace sohoa::fuzz {

/// Small enough that a run never spends its time on one honest but big page.
inline ingest::Limits small_limits() {
  ingest::Limits l;
  l.max_file_bytes = 4u << 20;
  l.max_pages = 8;
  l.max_pixels = 4'000'000;
  l.max_archive_members = 64;
  l.max_archive_expanded = 16u << 20;
  l.max_archive_ratio = 200;
  return l;
}

inline void quiet_libraries() {
  static bool done = [] {
    setMsgSeverity(L_SEVERITY_NONE);
    return true;
  }();
  (void)done;
}

/// Opens bytes as `format` and decodes every page; returns the pages decoded.
inline int load_all_pages(const uint8_t* data, size_t size, ingest::Format format,
                          const ingest::Limits& limits) {
  auto bytes = std::make_shared<const std::vector<uint8_t>>(data, data + size);
  int loaded = 0;
  try {
    auto source = ingest::open_page_source(bytes, format, limits);
    const int n = source->page_count();
    if (n <= 0 || n > limits.max_pages) std::abort();  // open_* promised a checked count
    for (int i = 0; i < n; ++i) {
      try {
        RawPage page = source->load(i);
        if (!page.image) std::abort();  // load() returns a page or throws
        const uint64_t px = static_cast<uint64_t>(page.image.width()) * page.image.height();
        // A text page is rendered at 200 dpi after the size check at 300; images must respect it.
        if (px > limits.max_pixels) std::abort();
        ++loaded;
      } catch (const Error&) {
        // one bad page: the batch reports it and keeps the others
      }
    }
  } catch (const Error&) {
  }
  return loaded;
}

}  // namespace sohoa::fuzz

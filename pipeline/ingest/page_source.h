// A decoder over one input's bytes. Each worker opens its own, so none is shared across threads.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/types.h"
#include "ingest/sniff.h"

namespace sohoa::ingest {

using Bytes = std::shared_ptr<const std::vector<uint8_t>>;

struct Limits {
  uint64_t max_file_bytes = 2ull << 30;
  int max_pages = 2000;                      // per input
  uint64_t max_pixels = 150'000'000;         // per page (about A0 at 300 dpi)
  uint64_t max_archive_members = 10'000;
  uint64_t max_archive_expanded = 4ull << 30;
  double max_archive_ratio = 200;            // expanded / compressed, against zip bombs
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int page_count() const = 0;
  /// 0-based; throws sohoa::Error with a reason a clerk can read.
  virtual RawPage load(int index) = 0;
};

std::unique_ptr<PageSource> open_raster(Bytes bytes, Format format, const Limits& limits);
std::unique_ptr<PageSource> open_pdf(Bytes bytes, const Limits& limits);
std::unique_ptr<PageSource> open_page_source(Bytes bytes, Format format, const Limits& limits);

}  // namespace sohoa::ingest

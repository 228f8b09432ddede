// PNG, JPEG, TIFF (multi-page) and the other image formats, through Leptonica.
#include <cstdio>
#include <string>

#include "core/error.h"
#include "ingest/page_source.h"

namespace sohoa::ingest {
namespace {

class RasterSource : public PageSource {
 public:
  RasterSource(Bytes bytes, Format format, const Limits& limits)
      : bytes_(std::move(bytes)), format_(format), limits_(limits) {
    if (format_ == Format::tiff) {
      FILE* f = fmemopen(const_cast<uint8_t*>(bytes_->data()), bytes_->size(), "rb");
      l_int32 n = 0;
      if (!f || tiffGetCount(f, &n) != 0 || n <= 0) {
        if (f) fclose(f);
        throw Error(ErrorCode::damaged, "the TIFF file is damaged: its page directory cannot be read");
      }
      fclose(f);
      pages_ = n;
    } else {
      l_int32 w = 0, h = 0;
      if (pixReadHeaderMem(bytes_->data(), bytes_->size(), nullptr, &w, &h, nullptr, nullptr, nullptr) != 0)
        throw Error(ErrorCode::damaged, std::string("the ") + format_name(format_) +
                                            " image is damaged: its header cannot be read");
      check_size(w, h);
      pages_ = 1;
    }
    if (pages_ > limits_.max_pages)
      throw Error(ErrorCode::resource_limit, "the file has " + std::to_string(pages_) +
                                                 " pages, more than the limit of " +
                                                 std::to_string(limits_.max_pages));
  }

  int page_count() const override { return pages_; }

  RawPage load(int index) override {
    PIX* pix = nullptr;
    if (format_ == Format::tiff) {
      l_int32 w = 0, h = 0;
      if (readHeaderMemTiff(bytes_->data(), bytes_->size(), index, &w, &h, nullptr, nullptr, nullptr,
                            nullptr, nullptr) == 0)
        check_size(w, h);
      pix = pixReadMemTiff(bytes_->data(), bytes_->size(), index);
    } else {
      pix = pixReadMem(bytes_->data(), bytes_->size());
    }
    if (!pix)
      throw Error(ErrorCode::damaged, std::string("the ") + format_name(format_) + " image" +
                                          (pages_ > 1 ? " (page " + std::to_string(index + 1) + ")" : "") +
                                          " is damaged or truncated and cannot be decoded");
    RawPage page;
    page.image = Image(pix);
    l_int32 xres = pixGetXRes(pix);
    // Under 50 "dpi" is what editors write when they mean "unknown" (72 is real for screenshots).
    if (xres >= 50 && xres <= 4800) {
      page.dpi = xres;
    } else {
      page.dpi = 300;
      page.dpi_assumed = true;
    }
    return page;
  }

 private:
  void check_size(l_int32 w, l_int32 h) const {
    if (w <= 0 || h <= 0)
      throw Error(ErrorCode::damaged, "the image header gives no size");
    if (static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > limits_.max_pixels)
      throw Error(ErrorCode::resource_limit, "the image claims " + std::to_string(w) + "x" +
                                                 std::to_string(h) + " pixels, over the limit of " +
                                                 std::to_string(limits_.max_pixels / 1'000'000) +
                                                 " megapixels");
  }

  Bytes bytes_;
  Format format_;
  Limits limits_;
  int pages_ = 0;
};

}  // namespace

std::unique_ptr<PageSource> open_raster(Bytes bytes, Format format, const Limits& limits) {
  return std::make_unique<RasterSource>(std::move(bytes), format, limits);
}

std::unique_ptr<PageSource> open_page_source(Bytes bytes, Format format, const Limits& limits) {
  if (format == Format::pdf) return open_pdf(std::move(bytes), limits);
  if (is_image(format)) return open_raster(std::move(bytes), format, limits);
  throw Error(ErrorCode::unsupported, std::string("not a scan: ") + format_name(format) + " content");
}

}  // namespace sohoa::ingest

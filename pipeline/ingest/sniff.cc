#include "ingest/sniff.h"

#include <algorithm>
#include <cstring>

namespace sohoa::ingest {

static bool starts(std::span<const uint8_t> b, const char* magic, size_t n, size_t at = 0) {
  return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

Format sniff(std::span<const uint8_t> b) {
  if (b.empty()) return Format::empty;
  // PDF: the header may follow some junk within the first 1024 bytes (the spec allows it).
  const size_t window = std::min<size_t>(b.size(), 1024);
  for (size_t i = 0; i + 5 <= window; ++i)
    if (std::memcmp(b.data() + i, "%PDF-", 5) == 0) return Format::pdf;
  if (starts(b, "II*\0", 4) || starts(b, "MM\0*", 4) || starts(b, "II+\0", 4) || starts(b, "MM\0+", 4))
    return Format::tiff;
  if (starts(b, "\xFF\xD8\xFF", 3)) return Format::jpeg;
  if (starts(b, "\x89PNG\r\n\x1a\n", 8)) return Format::png;
  if (starts(b, "\0\0\0\x0CjP  ", 8) || starts(b, "\xFF\x4F\xFF\x51", 4)) return Format::jp2;
  if (starts(b, "BM", 2) && b.size() > 26) return Format::bmp;
  if (starts(b, "RIFF", 4) && starts(b, "WEBP", 4, 8)) return Format::webp;
  if (starts(b, "GIF87a", 6) || starts(b, "GIF89a", 6)) return Format::gif;
  if (starts(b, "PK\x03\x04", 4) || starts(b, "PK\x05\x06", 4)) return Format::zip;
  if (starts(b, "ustar", 5, 257)) return Format::tar;
  if (starts(b, "\x1f\x8b", 2)) return Format::gzip;
  if (starts(b, "BZh", 3)) return Format::bzip2;
  if (starts(b, "\xFD" "7zXZ\0", 6)) return Format::xz;
  if (starts(b, "\x28\xB5\x2F\xFD", 4)) return Format::zstd;
  if (starts(b, "7z\xBC\xAF\x27\x1C", 6)) return Format::sevenzip;
  return Format::unknown;
}

const char* format_name(Format f) {
  switch (f) {
    case Format::unknown: return "unknown";
    case Format::empty: return "empty";
    case Format::pdf: return "PDF";
    case Format::tiff: return "TIFF";
    case Format::jpeg: return "JPEG";
    case Format::png: return "PNG";
    case Format::jp2: return "JPEG 2000";
    case Format::bmp: return "BMP";
    case Format::webp: return "WebP";
    case Format::gif: return "GIF";
    case Format::zip: return "zip";
    case Format::tar: return "tar";
    case Format::gzip: return "gzip";
    case Format::bzip2: return "bzip2";
    case Format::xz: return "xz";
    case Format::zstd: return "zstd";
    case Format::sevenzip: return "7z";
  }
  return "unknown";
}

bool is_archive(Format f) {
  return f == Format::zip || f == Format::tar || f == Format::gzip || f == Format::bzip2 ||
         f == Format::xz || f == Format::zstd || f == Format::sevenzip;
}

bool is_image(Format f) {
  return f == Format::tiff || f == Format::jpeg || f == Format::png || f == Format::jp2 ||
         f == Format::bmp || f == Format::webp || f == Format::gif;
}

}  // namespace sohoa::ingest

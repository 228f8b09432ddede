// Which format an input is, decided from its first bytes, never from its name.
#pragma once
#include <cstdint>
#include <span>

namespace sohoa::ingest {

enum class Format { unknown, empty, pdf, tiff, jpeg, png, jp2, bmp, webp, gif, zip, tar, gzip, bzip2, xz, zstd, sevenzip };

Format sniff(std::span<const uint8_t> head);
const char* format_name(Format f);
bool is_archive(Format f);
bool is_image(Format f);

}  // namespace sohoa::ingest

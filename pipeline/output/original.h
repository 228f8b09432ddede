// The preservation original: an input's bytes kept unchanged beside sohoa's access copy.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace sohoa::output {

/// Writes OUT/originals/<sha256>.<ext> once (same content, same file) and returns its path
/// relative to OUT. ext is the format's name ("pdf", "tiff", ...).
std::string keep_original(const std::filesystem::path& out_root, const std::string& sha256, const std::string& ext,
                          std::span<const uint8_t> bytes);

}  // namespace sohoa::output

// File-system helpers that never leave a half-written file behind.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::fs {

/// Whole file into memory; throws sohoa::Error(unreadable) naming the file.
std::vector<uint8_t> read_file(const std::filesystem::path& path, uint64_t max_bytes);
/// Whole file as a string; "" when it is missing or unreadable (callers that must have it check
/// existence or use read_file, which says why).
std::string read_text_or_empty(const std::filesystem::path& path);
/// Writes to "<path>.tmp-<pid>", fsyncs, renames over path.
void write_atomic(const std::filesystem::path& path, std::string_view content);
/// fsync a directory so a rename inside it survives a power cut.
void sync_dir(const std::filesystem::path& dir);
/// Path as a string with forward slashes.
std::string generic(const std::filesystem::path& p);

}  // namespace sohoa::fs

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
/// Writes content to path so that no reader, and no crash, ever sees part of it: the bytes go
/// to an unnamed file in path's folder (O_TMPFILE), are flushed, and only then get a name
/// ("<path>.tmp-<pid>") that is renamed over path. Where the file system has no unnamed files,
/// the bytes are written under the temporary name itself.
void write_atomic(const std::filesystem::path& path, std::string_view content);
/// An open, still unnamed file in dir (O_TMPFILE), or -1 when the file system cannot make one.
int open_unnamed(const std::filesystem::path& dir);
/// Flushes fd, names it tmp (a fresh name in the same folder), renames tmp over path; closes fd
/// whatever happens.
void publish(int fd, const std::filesystem::path& tmp, const std::filesystem::path& path);
/// fsync a directory so a rename inside it survives a power cut.
void sync_dir(const std::filesystem::path& dir);
/// Path as a string with forward slashes.
std::string generic(const std::filesystem::path& p);

}  // namespace sohoa::fs

// Zip files through libarchive: written whole under a temporary name, read with limits.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sohoa::package {

struct ZipEntry {
  std::string path;   // forward slashes, relative
  std::string bytes;
};

/// Writes the entries in order (deflate, mode 0644, every mtime = mtime_epoch) to
/// "<path>.tmp-<pid>", then renames it over path. Throws sohoa::Error(output_io).
void write_zip(const std::filesystem::path& path, const std::vector<ZipEntry>& entries, long long mtime_epoch);

/// Every regular file of a zip; throws sohoa::Error(unreadable/damaged/resource_limit).
std::vector<ZipEntry> read_zip(const std::filesystem::path& path, uint64_t max_total_bytes = 8ull << 30);

/// Lower-case hex SHA-512.
std::string sha512_hex(const std::string& bytes);
/// Lower-case hex SHA-256.
std::string sha256_of(const std::string& bytes);

}  // namespace sohoa::package

#include "output/original.h"

#include <cctype>
#include <string_view>

#include "core/error.h"
#include "core/fsutil.h"

namespace sohoa::output {
namespace stdfs = std::filesystem;

std::string keep_original(const stdfs::path& out_root, const std::string& sha256, const std::string& ext,
                          std::span<const uint8_t> bytes) {
  std::string lower = ext;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string rel = "originals/" + sha256 + "." + lower;
  const stdfs::path path = out_root / rel;
  std::error_code ec;
  // Named by its checksum: a file already there of the right size is this very content.
  if (stdfs::exists(path, ec) && stdfs::file_size(path, ec) == bytes.size()) return rel;
  stdfs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + path.parent_path().string() + ": " + ec.message());
  fs::write_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  return rel;
}

}  // namespace sohoa::output

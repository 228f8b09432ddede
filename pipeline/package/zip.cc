#include "package/zip.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <memory>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/hash.h"

namespace sohoa::package {
namespace stdfs = std::filesystem;
namespace {

struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

}  // namespace

std::string sha256_of(const std::string& bytes) {
  return sha256_hex({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::string sha512_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha512(), nullptr))
    throw Error(ErrorCode::internal, "SHA-512 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

void write_zip(const stdfs::path& path, const std::vector<ZipEntry>& entries, long long mtime_epoch) {
  const stdfs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  const int fd = fs::open_unnamed(path.parent_path());
  auto fail = [&](archive* a, const std::string& what) {
    const std::string msg = "cannot write " + path.string() + ": " + what + (a && archive_error_string(a) ? std::string(": ") + archive_error_string(a) : "");
    std::error_code ec;
    if (fd >= 0) ::close(fd);
    else stdfs::remove(tmp, ec);
    throw Error(ErrorCode::output_io, msg);
  };
  {
    std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
    if (archive_write_set_format_zip(a.get()) != ARCHIVE_OK) fail(a.get(), "zip format");
    archive_write_set_options(a.get(), "zip:compression=deflate");
    // Into an unnamed file where the file system allows: a killed run leaves no half zip.
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (fd >= 0 ? archive_write_open_fd(a.get(), fd) != ARCHIVE_OK
                : archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK)
      fail(a.get(), "open");
    for (const ZipEntry& e : entries) {
      std::unique_ptr<archive_entry, EntryDeleter> en(archive_entry_new());
      archive_entry_set_pathname_utf8(en.get(), e.path.c_str());
      archive_entry_set_filetype(en.get(), AE_IFREG);
      archive_entry_set_perm(en.get(), 0644);
      archive_entry_set_size(en.get(), static_cast<la_int64_t>(e.bytes.size()));
      archive_entry_set_mtime(en.get(), static_cast<time_t>(mtime_epoch), 0);
      if (archive_write_header(a.get(), en.get()) != ARCHIVE_OK) fail(a.get(), e.path);
      if (!e.bytes.empty() && archive_write_data(a.get(), e.bytes.data(), e.bytes.size()) < 0) fail(a.get(), e.path);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) fail(a.get(), "close");
  }
  if (fd >= 0) {
    fs::publish(fd, tmp, path);
    return;
  }
  std::error_code ec;
  stdfs::rename(tmp, path, ec);
  if (ec) fail(nullptr, "rename: " + ec.message());
}

std::vector<ZipEntry> read_zip(const stdfs::path& path, uint64_t max_total_bytes) {
  std::unique_ptr<archive, ReadDeleter> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw Error(ErrorCode::unreadable, path.string() + ": not a readable zip: " + archive_error_string(a.get()));
  std::vector<ZipEntry> out;
  uint64_t total = 0;
  archive_entry* en = nullptr;
  for (;;) {
    const int r = archive_read_next_header(a.get(), &en);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      throw Error(ErrorCode::damaged, path.string() + ": damaged zip: " + archive_error_string(a.get()));
    if (archive_entry_filetype(en) != AE_IFREG) continue;
    ZipEntry e;
    const char* name = archive_entry_pathname_utf8(en);
    e.path = name ? name : archive_entry_pathname(en);
    char buf[1 << 16];
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0)
        throw Error(ErrorCode::damaged, path.string() + ": damaged zip member " + e.path + ": " + archive_error_string(a.get()));
      total += static_cast<uint64_t>(n);
      if (total > max_total_bytes) throw Error(ErrorCode::resource_limit, path.string() + ": expands beyond the limit");
      e.bytes.append(buf, static_cast<size_t>(n));
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sohoa::package

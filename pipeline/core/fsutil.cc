#include "core/fsutil.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace sohoa {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::unreadable: return "unreadable";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::damaged: return "damaged";
    case ErrorCode::encrypted: return "encrypted";
    case ErrorCode::ocr_failed: return "ocr_failed";
    case ErrorCode::output_io: return "output_io";
    case ErrorCode::resource_limit: return "resource_limit";
    case ErrorCode::busy: return "busy";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

namespace fs {

std::vector<uint8_t> read_file(const std::filesystem::path& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::unreadable, std::string("cannot open: ") + std::strerror(errno));
  std::vector<uint8_t> data;
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error(ErrorCode::unreadable, std::string("cannot read: ") + std::strerror(err));
    }
    if (n == 0) break;
    if (data.size() + n > max_bytes) {
      ::close(fd);
      throw Error(ErrorCode::resource_limit,
                  "file is larger than the limit of " + std::to_string(max_bytes >> 20) + " MiB");
    }
    data.insert(data.end(), buf, buf + n);
  }
  ::close(fd);
  return data;
}

std::string read_text_or_empty(const std::filesystem::path& path) {
  try {
    const std::vector<uint8_t> data = read_file(path, 4ull << 30);
    return std::string(data.begin(), data.end());
  } catch (const Error&) {
    return {};
  }
}

static void write_all(int fd, std::string_view content, const std::filesystem::path& path) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::output_io, "cannot write " + path.string() + ": " + std::strerror(errno));
    }
    p += n;
    left -= n;
  }
}

int open_unnamed(const std::filesystem::path& dir) {
  return ::open(dir.empty() ? "." : dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
}

void publish(int fd, const std::filesystem::path& tmp, const std::filesystem::path& path) {
  const int synced = ::fsync(fd), sync_err = errno;
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  ::unlink(tmp.c_str());  // a leftover of a killed run with the same pid
  const int linked = synced == 0 ? ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) : -1;
  const int link_err = errno;
  ::close(fd);
  if (synced != 0) throw Error(ErrorCode::output_io, "cannot flush " + path.string() + ": " + std::strerror(sync_err));
  if (linked != 0) throw Error(ErrorCode::output_io, "cannot name " + tmp.string() + ": " + std::strerror(link_err));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(ErrorCode::output_io, "cannot rename into " + path.string() + ": " + std::strerror(err));
  }
}

void write_atomic(const std::filesystem::path& path, std::string_view content) {
  // pid and a per-process sequence: two workers writing the same file (an original shared by two
  // dossiers) must not take each other's temporary name.
  static std::atomic<unsigned long> sequence{0};
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(sequence.fetch_add(1));
  if (const int fd = open_unnamed(path.parent_path()); fd >= 0) {
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    publish(fd, tmp, path);
    return;
  }
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(ErrorCode::output_io, "cannot create " + tmp.string() + ": " + std::strerror(errno));
  try {
    write_all(fd, content, tmp);
    if (::fsync(fd) != 0)
      throw Error(ErrorCode::output_io, "cannot flush " + tmp.string() + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(ErrorCode::output_io, "cannot rename into " + path.string() + ": " + std::strerror(err));
  }
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string generic(const std::filesystem::path& p) { return p.generic_string(); }

}  // namespace fs
}  // namespace sohoa

// zip and tar (plain or compressed) through libarchive, read from memory with limits.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

#include "ingest/ingest.h"

namespace sohoa::ingest {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

bool unsafe_member_path(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos) return true;
  if (name.size() > 1 && name[1] == ':') return true;  // C:foo
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (name.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

bool ignorable_member(const std::string& name) {
  // macOS and Windows add these to archives; they are never scans.
  const std::string base = name.substr(name.find_last_of('/') + 1);
  return name.rfind("__MACOSX/", 0) == 0 || base.empty() || base[0] == '.' || base == "Thumbs.db" ||
         base == "desktop.ini";
}

/// libarchive's message for the last error; it has none for some damage (then NULL).
std::string error_text(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "damaged data";
}

}  // namespace

std::vector<ArchiveMember> read_archive(const std::vector<uint8_t>& bytes, const Limits& limits,
                                        std::vector<InputError>& errors, const std::string& display_path) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_format_7zip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    throw Error(ErrorCode::damaged, std::string("the archive cannot be opened: ") + error_text(a.get()));

  std::vector<ArchiveMember> members;
  uint64_t expanded = 0, count = 0;
  const uint64_t ratio_budget = static_cast<uint64_t>(limits.max_archive_ratio * bytes.size()) + (16u << 20);
  archive_entry* entry = nullptr;
  for (;;) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      if (members.empty() && count == 0)
        throw Error(ErrorCode::damaged, std::string("the archive cannot be read: ") + error_text(a.get()));
      errors.push_back({display_path, std::nullopt, ErrorCode::damaged,
                        std::string("the archive is damaged after member ") + std::to_string(count) +
                            "; the members before it were read: " + error_text(a.get())});
      break;
    }
    if (++count > limits.max_archive_members)
      throw Error(ErrorCode::resource_limit, "the archive has more than " +
                                                 std::to_string(limits.max_archive_members) + " members");
    const char* raw_name = archive_entry_pathname_utf8(entry);
    if (!raw_name) raw_name = archive_entry_pathname(entry);
    std::string name = raw_name ? raw_name : "";
    const mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) continue;
    if (ignorable_member(name)) continue;
    if (unsafe_member_path(name)) {
      errors.push_back({display_path, name, ErrorCode::unsupported,
                        "the member path points outside the archive; it was not extracted"});
      continue;
    }
    if (archive_entry_hardlink(entry)) {  // tar gives these no file type, or "regular" with no data
      errors.push_back({display_path, name, ErrorCode::unsupported,
                        "the member is a hard link to another member; links are not followed"});
      continue;
    }
    if (type != AE_IFREG) {
      errors.push_back({display_path, name, ErrorCode::unsupported,
                        type == AE_IFLNK ? "the member is a symbolic link; links are not followed"
                                         : "the member is not a regular file (device, pipe or socket)"});
      continue;
    }
    auto data = std::make_shared<std::vector<uint8_t>>();
    const la_int64_t declared = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
    if (declared > 0 && static_cast<uint64_t>(declared) <= limits.max_file_bytes) data->reserve(declared);
    char buf[1 << 16];
    bool failed = false;
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        errors.push_back({display_path, name, ErrorCode::damaged,
                          std::string("the member cannot be extracted: ") + error_text(a.get())});
        failed = true;
        break;
      }
      expanded += n;
      if (expanded > limits.max_archive_expanded || expanded > ratio_budget)
        throw Error(ErrorCode::resource_limit,
                    "the archive expands to more than its limit (a zip bomb?); nothing in it was processed");
      if (data->size() + n > limits.max_file_bytes) {
        errors.push_back({display_path, name, ErrorCode::resource_limit, "the member is larger than the file limit"});
        failed = true;
        break;
      }
      data->insert(data->end(), buf, buf + n);
    }
    if (failed) {
      if (archive_errno(a.get()) != 0 && members.empty()) continue;
      continue;
    }
    members.push_back({name, std::move(data)});
  }
  return members;
}

}  // namespace sohoa::ingest

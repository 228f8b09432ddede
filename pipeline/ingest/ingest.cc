#include "ingest/ingest.h"

#include <algorithm>

#include "core/fsutil.h"
#include "core/hash.h"

namespace sohoa::ingest {
namespace {

namespace stdfs = std::filesystem;

bool ignorable_file(const stdfs::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name == "Thumbs.db" || name == "desktop.ini";
}

std::string reason_for(Format f) {
  switch (f) {
    case Format::empty: return "the file is empty (0 bytes)";
    case Format::unknown: return "not a scan: the content is not PDF, TIFF, JPEG, PNG or a zip/tar archive";
    default: return std::string("not a supported scan format: ") + format_name(f);
  }
}

/// Sniffs, counts pages; an archive expands into several items.
void add_input(Discovery& out, const stdfs::path& file, const std::string& rel, const std::string& dossier,
               const Limits& limits) {
  std::vector<uint8_t> data;
  try {
    data = fs::read_file(file, limits.max_file_bytes);
  } catch (const Error& e) {
    out.errors.push_back({rel, std::nullopt, e.code(), e.what()});
    return;
  }
  const Format format = sniff(data);
  if (is_archive(format)) {
    std::vector<ArchiveMember> members;
    try {
      members = read_archive(data, limits, out.errors, rel);
    } catch (const Error& e) {
      out.errors.push_back({rel, std::nullopt, e.code(), e.what()});
      return;
    }
    for (ArchiveMember& m : members) {
      const Format mf = sniff(*m.bytes);
      InputItem item;
      item.source = {rel, m.name, sha256_hex(*m.bytes)};
      item.file = file;
      item.format = mf;
      item.dossier = dossier;
      if (is_archive(mf)) {
        out.errors.push_back({rel, m.name, ErrorCode::unsupported,
                              "an archive inside an archive is not opened; unpack it first"});
        continue;
      }
      try {
        item.page_count = open_page_source(m.bytes, mf, limits)->page_count();
      } catch (const Error& e) {
        out.errors.push_back({rel, m.name, e.code(), mf == Format::empty || mf == Format::unknown ? reason_for(mf) : e.what()});
        continue;
      }
      item.member_bytes = std::move(m.bytes);
      out.items.push_back(std::move(item));
    }
    if (members.empty() && std::none_of(out.errors.begin(), out.errors.end(),
                                        [&](const InputError& e) { return e.path == rel; }))
      out.errors.push_back({rel, std::nullopt, ErrorCode::unreadable, "the archive holds no files"});
    return;
  }
  if (!is_image(format) && format != Format::pdf) {
    out.errors.push_back({rel, std::nullopt, ErrorCode::unsupported, reason_for(format)});
    return;
  }
  InputItem item;
  item.source = {rel, std::nullopt, sha256_hex(data)};
  item.file = file;
  item.format = format;
  item.dossier = dossier;
  try {
    auto bytes = std::make_shared<const std::vector<uint8_t>>(std::move(data));
    item.page_count = open_page_source(bytes, format, limits)->page_count();
  } catch (const Error& e) {
    out.errors.push_back({rel, std::nullopt, e.code(), e.what()});
    return;
  }
  out.items.push_back(std::move(item));
}

}  // namespace

Discovery discover(const std::vector<stdfs::path>& roots, const Limits& limits, const stdfs::path& exclude) {
  Discovery out;
  std::error_code xec;
  const stdfs::path excluded = exclude.empty() ? stdfs::path() : stdfs::weakly_canonical(exclude, xec);
  for (const stdfs::path& root : roots) {
    std::error_code ec;
    const auto status = stdfs::status(root, ec);
    if (ec || !stdfs::exists(status)) {
      out.errors.push_back({fs::generic(root), std::nullopt, ErrorCode::unreadable, "no such file or folder"});
      continue;
    }
    if (stdfs::is_regular_file(status)) {
      add_input(out, root, root.filename().generic_string(), "", limits);
      continue;
    }
    if (!stdfs::is_directory(status)) {  // reading a pipe would hang, /dev/zero fill memory
      out.errors.push_back({fs::generic(root), std::nullopt, ErrorCode::unsupported, "not a regular file"});
      continue;
    }
    std::vector<stdfs::path> files;
    stdfs::recursive_directory_iterator it(root, stdfs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (ignorable_file(it->path()) ||
          (!excluded.empty() && stdfs::weakly_canonical(it->path(), xec) == excluded)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) files.push_back(it->path());
      else if (!it->is_directory(ec))
        out.errors.push_back({fs::generic(stdfs::relative(it->path(), root)), std::nullopt,
                              ErrorCode::unsupported, "not a regular file"});
    }
    if (ec)
      out.errors.push_back({fs::generic(root), std::nullopt, ErrorCode::unreadable,
                            "the folder cannot be listed completely: " + ec.message()});
    std::sort(files.begin(), files.end());  // the same order on every run and machine
    for (const stdfs::path& f : files) {
      const stdfs::path rel = stdfs::relative(f, root);
      const std::string dossier = std::distance(rel.begin(), rel.end()) > 1 ? rel.begin()->string() : "";
      add_input(out, f, fs::generic(rel), dossier, limits);
    }
  }
  return out;
}

Bytes load_bytes(const InputItem& item, const Limits& limits) {
  if (item.member_bytes) return item.member_bytes;
  auto data = std::make_shared<const std::vector<uint8_t>>(fs::read_file(item.file, limits.max_file_bytes));
  if (sha256_hex(*data) != item.source.sha256)
    throw Error(ErrorCode::unreadable, "the file changed while the batch was running; run it again");
  return data;
}

}  // namespace sohoa::ingest

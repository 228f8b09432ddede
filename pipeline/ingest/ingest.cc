#include "ingest/ingest.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "core/fsutil.h"
#include "core/hash.h"
#include "core/text.h"

namespace sohoa::ingest {
namespace {

namespace stdfs = std::filesystem;

bool ignorable_file(const stdfs::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name == "Thumbs.db" || name == "desktop.ini";
}

/// Names are compared and stored in NFC. Bytes that are not UTF-8 stay as they are: replacing
/// them would make two different names one.
std::string nfc_name(const std::string& raw) { return text::valid_utf8(raw) ? text::nfc(raw) : raw; }

/// Why a name that clashes with another (kept) one is not read.
std::string same_name_reason(const std::string& kept_raw, const std::string& this_raw, const std::string& kept_where) {
  if (nfc_name(kept_raw) == nfc_name(this_raw) && kept_raw != this_raw)
    return std::string("another file has the same name written in another Unicode form (") +
           (this_raw == nfc_name(this_raw) ? "this one precomposed, NFC; the other decomposed, NFD" :
                                             "this one decomposed, NFD, as macOS writes names; the other precomposed, NFC") +
           "): to sohoa they are one name, so this one is not read rather than overwrite the other's records; "
           "rename one of them";
  return "another input, " + kept_where + ", has the same path in the same dossier: this one is not read rather "
         "than overwrite its records; rename one of them or run them into different output folders";
}

/// Indices of names to keep: of names equal once normalised, the one spelled in NFC (else the first).
template <class Key>
std::vector<bool> keep_first_of_each(const std::vector<Key>& keys, const std::vector<bool>& spelled_nfc,
                                     std::vector<int>* keeper) {
  std::map<Key, std::vector<int>> groups;
  for (size_t i = 0; i < keys.size(); ++i) groups[keys[i]].push_back(static_cast<int>(i));
  std::vector<bool> keep(keys.size(), false);
  keeper->assign(keys.size(), -1);
  for (const auto& [key, idx] : groups) {
    int k = idx[0];
    for (int i : idx)
      if (spelled_nfc[i]) {
        k = i;
        break;
      }
    keep[k] = true;
    for (int i : idx) (*keeper)[i] = k;
  }
  return keep;
}

std::string exe_dir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return stdfs::path(buf).parent_path().string();
}

const std::vector<std::regex>& dossier_patterns() {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("SOHOA_MODELS"); env && *env) dirs.push_back(env);
    if (const std::string ed = exe_dir(); !ed.empty()) {
      dirs.push_back(ed + "/../models");
      dirs.push_back(ed + "/models");
      dirs.push_back(ed + "/../share/sohoa/models");
    }
#ifdef SOHOA_MODELS_DIR
    dirs.push_back(SOHOA_MODELS_DIR);
#endif
    std::vector<std::regex> out;
    for (const std::string& d : dirs) {
      std::ifstream in(d + "/dossier_codes.txt");
      if (!in) continue;
      std::string line;
      while (std::getline(in, line)) {
        line = text::trim(line);
        if (line.empty() || line[0] == '#') continue;
        try {
          out.emplace_back(line, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error&) {
          // A broken line costs only itself.
        }
      }
      break;
    }
    return out;
  }();
  return patterns;
}

/// The name of a folder as given: "HS-000101/", "." and "/a/HS-000101" all name a folder.
std::string folder_name(const stdfs::path& root) {
  stdfs::path p = stdfs::absolute(root).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p.filename().string();
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
    std::vector<std::string> names;
    std::vector<bool> spelled_nfc;
    for (const ArchiveMember& m : members) {
      names.push_back(nfc_name(m.name));
      spelled_nfc.push_back(names.back() == m.name);
    }
    std::vector<int> keeper;
    const std::vector<bool> keep = keep_first_of_each(names, spelled_nfc, &keeper);
    for (size_t i = 0; i < members.size(); ++i) {
      ArchiveMember& m = members[i];
      if (!keep[i]) {
        const std::string& kept = members[keeper[i]].name;
        out.errors.push_back({rel, names[i], ErrorCode::unsupported,
                              kept == m.name ? "the archive holds two members of this name: only the first is read"
                                             : same_name_reason(kept, m.name, rel + "!" + names[i])});
        continue;
      }
      const Format mf = sniff(*m.bytes);
      InputItem item;
      item.source = {rel, names[i], sha256_hex(*m.bytes), dossier};
      item.file = file;
      item.format = mf;
      item.dossier = dossier;
      if (is_archive(mf)) {
        out.errors.push_back({rel, names[i], ErrorCode::unsupported,
                              "an archive inside an archive is not opened; unpack it first"});
        continue;
      }
      try {
        item.page_count = open_page_source(m.bytes, mf, limits)->page_count();
      } catch (const Error& e) {
        out.errors.push_back({rel, names[i], e.code(), mf == Format::empty || mf == Format::unknown ? reason_for(mf) : e.what()});
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
  item.source = {rel, std::nullopt, sha256_hex(data), dossier};
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

/// What a sohoa run writes into its output folder, which may also hold the user's scans (`-o`
/// pointed at the scan folder once): those are read, these are not.
bool is_written_by_sohoa(const stdfs::path& p, std::map<stdfs::path, bool>& output_dirs) {
  static const std::set<std::string> kNames = {"batch.json", "catalog.sqlite", "catalog.sqlite-shm", "catalog.sqlite-wal",
                                               "catalog.sqlite-journal", "done", "originals", "packages", "records",
                                               "report.html", "shards", "plan.json"};
  if (!kNames.count(p.filename().string())) return false;
  const stdfs::path dir = p.parent_path();
  auto [at, fresh] = output_dirs.try_emplace(dir, false);
  if (fresh) at->second = is_sohoa_output(dir);
  return at->second;
}

}  // namespace

bool is_sohoa_output(const stdfs::path& dir) {
  std::error_code ec;
  return stdfs::exists(dir / ".sohoa.lock", ec) ||
         (stdfs::is_regular_file(dir / "batch.json", ec) && stdfs::is_directory(dir / "records", ec));
}

bool is_dossier_code(const std::string& name) {
  for (const std::regex& re : dossier_patterns())
    if (std::regex_match(name, re)) return true;
  return false;
}

Discovery discover(const std::vector<stdfs::path>& roots, const Limits& limits, const stdfs::path& exclude,
                   const std::string& default_dossier, const InputFilter& only) {
  Discovery out;
  std::error_code xec;
  const stdfs::path excluded = exclude.empty() ? stdfs::path() : stdfs::weakly_canonical(exclude, xec);
  struct Found {
    stdfs::path file;
    std::string rel, raw_rel, dossier, where;
  };
  std::vector<Found> found;
  for (const stdfs::path& root : roots) {
    std::error_code ec;
    const auto status = stdfs::status(root, ec);
    if (ec || !stdfs::exists(status)) {
      out.errors.push_back({nfc_name(fs::generic(root)), std::nullopt, ErrorCode::unreadable, "no such file or folder"});
      continue;
    }
    if (stdfs::is_regular_file(status)) {
      const std::string raw = root.filename().generic_string();
      found.push_back({root, nfc_name(raw), raw, default_dossier, fs::generic(root)});
      continue;
    }
    if (!stdfs::is_directory(status)) {  // reading a pipe would hang, /dev/zero fill memory
      out.errors.push_back({nfc_name(fs::generic(root)), std::nullopt, ErrorCode::unsupported, "not a regular file"});
      continue;
    }
    // A folder named by a dossier code is that dossier: its paths start with the code, as when
    // its parent folder is given.
    const std::string raw_name = folder_name(root);
    const bool one_dossier = is_dossier_code(nfc_name(raw_name));
    const std::string prefix = one_dossier ? raw_name + "/" : "";
    std::vector<stdfs::path> files;
    std::map<stdfs::path, bool> output_dirs;
    stdfs::recursive_directory_iterator it(root, stdfs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (ignorable_file(it->path()) ||
          (!excluded.empty() && stdfs::weakly_canonical(it->path(), xec) == excluded)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (is_written_by_sohoa(it->path(), output_dirs)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        const stdfs::path dir = it->path().parent_path();
        const std::string shown = nfc_name(dir == root ? fs::generic(root) : prefix + fs::generic(dir.lexically_relative(root)));
        if (std::find(out.skipped_outputs.begin(), out.skipped_outputs.end(), shown) == out.skipped_outputs.end())
          out.skipped_outputs.push_back(shown);
        continue;
      }
      if (it->is_regular_file(ec)) files.push_back(it->path());
      else if (!it->is_directory(ec))
        out.errors.push_back({nfc_name(prefix + fs::generic(it->path().lexically_relative(root))), std::nullopt,
                              ErrorCode::unsupported, "not a regular file"});
    }
    if (ec)
      out.errors.push_back({nfc_name(fs::generic(root)), std::nullopt, ErrorCode::unreadable,
                            "the folder cannot be listed completely: " + ec.message()});
    std::vector<Found> in_root;
    for (const stdfs::path& f : files) {
      // lexically: a symlinked scan keeps the name it has in the folder, not its target's
      const stdfs::path rel = f.lexically_relative(root);
      const std::string raw = prefix + fs::generic(rel);
      std::string dossier = default_dossier;
      if (one_dossier) dossier = nfc_name(raw_name);
      else if (std::distance(rel.begin(), rel.end()) > 1) dossier = nfc_name(rel.begin()->string());
      in_root.push_back({f, nfc_name(raw), raw, dossier, fs::generic(f)});
    }
    // The same order on every run and machine, whatever form the names are written in.
    std::sort(in_root.begin(), in_root.end(),
              [](const Found& a, const Found& b) { return std::tie(a.rel, a.raw_rel) < std::tie(b.rel, b.raw_rel); });
    found.insert(found.end(), in_root.begin(), in_root.end());
  }
  // One place, one input: names equal once normalised, or the same path under two roots, would
  // give the same record ids and overwrite each other.
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<bool> spelled_nfc;
  for (const Found& f : found) {
    keys.emplace_back(f.dossier, f.rel);
    spelled_nfc.push_back(f.rel == f.raw_rel);
  }
  std::vector<int> keeper;
  const std::vector<bool> keep = keep_first_of_each(keys, spelled_nfc, &keeper);
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    if (only && !only(f.dossier, f.rel)) continue;
    if (!keep[i]) {
      const Found& k = found[keeper[i]];
      out.errors.push_back({f.rel, std::nullopt, ErrorCode::unsupported, same_name_reason(k.raw_rel, f.raw_rel, k.where)});
      continue;
    }
    add_input(out, f.file, f.rel, f.dossier, limits);
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

// Finding the inputs: walks the INPUT folders, opens archives, sniffs and counts pages.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/types.h"
#include "ingest/page_source.h"

namespace sohoa::ingest {

struct InputItem {
  SourceRef source;
  std::filesystem::path file;  // on disk; for an archive member, the archive
  Bytes member_bytes;          // held for archive members only; plain files are read when needed
  Format format = Format::unknown;
  int page_count = 0;
  std::string dossier;         // the dossier's code (its folder's name or --dossier), or "" for none; = source.dossier
};

struct InputError {
  std::string path;
  std::optional<std::string> member;
  ErrorCode code = ErrorCode::unreadable;
  std::string reason;
};

struct Discovery {
  std::vector<InputItem> items;
  std::vector<InputError> errors;
  std::vector<std::string> skipped_outputs;  // folders under the inputs where an earlier sohoa run wrote its output
};

/// Whether a folder is the output of a sohoa run (its lock, or its batch.json beside records/):
/// its document.pdf files and originals are sohoa's own, and reading them would make every
/// record twice.
bool is_sohoa_output(const std::filesystem::path& dir);

struct ArchiveMember {
  std::string name;
  Bytes bytes;
};

/// Regular-file members of an archive; unsafe or odd members become errors, never files on disk.
std::vector<ArchiveMember> read_archive(const std::vector<uint8_t>& bytes, const Limits& limits,
                                        std::vector<InputError>& errors, const std::string& display_path);

/// Which inputs a sharded run reads, by dossier and path; the rest are not even hashed.
using InputFilter = std::function<bool(const std::string& dossier, const std::string& path)>;

/// Every input under roots, in a stable order; `exclude` (the output folder) is never entered.
/// Paths and archive member names are stored in NFC; two names that are the same once normalised
/// (or two roots holding the same relative path) keep the first and make the others error entries.
/// A root folder whose name is a dossier code (is_dossier_code) is one dossier, its paths start with
/// that name; any other root folder holds one dossier per sub-folder. Files outside any dossier
/// folder belong to default_dossier ("" = none).
Discovery discover(const std::vector<std::filesystem::path>& roots, const Limits& limits,
                   const std::filesystem::path& exclude = {}, const std::string& default_dossier = "",
                   const InputFilter& only = {});

/// Whether a folder name is a dossier code, by the patterns of models/dossier_codes.txt.
bool is_dossier_code(const std::string& name);

/// The bytes of an item: the held member, or the file read again.
Bytes load_bytes(const InputItem& item, const Limits& limits);

}  // namespace sohoa::ingest

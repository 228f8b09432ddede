// Finding the inputs: walks the INPUT folders, opens archives, sniffs and counts pages.
#pragma once
#include <filesystem>
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
  std::string dossier;         // the top-level sub-folder of INPUT, or "" for loose files
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
};

struct ArchiveMember {
  std::string name;
  Bytes bytes;
};

/// Regular-file members of an archive; unsafe or odd members become errors, never files on disk.
std::vector<ArchiveMember> read_archive(const std::vector<uint8_t>& bytes, const Limits& limits,
                                        std::vector<InputError>& errors, const std::string& display_path);

/// Every input under roots, in a stable order; `exclude` (the output folder) is never entered.
Discovery discover(const std::vector<std::filesystem::path>& roots, const Limits& limits,
                   const std::filesystem::path& exclude = {});

/// The bytes of an item: the held member, or the file read again.
Bytes load_bytes(const InputItem& item, const Limits& limits);

}  // namespace sohoa::ingest

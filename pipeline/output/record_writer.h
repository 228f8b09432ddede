// A record's folder: record.json, text.txt, document.pdf, written whole or not at all.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::output {

/// Where an input came from, one line each: dossier, path, archive member ("" when none). Two inputs
/// of a batch never share it (discovery makes the second an error entry).
std::string source_key(const SourceRef& source);
/// Stable folder name: the first 16 hex digits of the SHA-256 of source_key (where the input came
/// from, not what it holds: the same file in two places is two records) and the page range.
std::string record_id(const SourceRef& source, int first_page, int last_page);

nlohmann::ordered_json record_json(const Record& record, const std::vector<Page>& pages);
/// record.json `signatures`: what sohoa read of each digital signature of the input.
nlohmann::ordered_json signatures_json(const std::vector<DigitalSignature>& signatures);
/// Pages separated by a form feed; blank pages contribute an empty page.
std::string document_text(const Document& doc, const std::vector<Page>& pages);

/// Writes OUT/records/<id>/ through a temporary folder renamed into place; returns the folder.
std::filesystem::path write_record(const std::filesystem::path& out_root, const Record& record,
                                   const std::vector<Page>& pages);

}  // namespace sohoa::output

// Perceptual hashes of a record's page images: the same pages scanned into two batches (or the
// same file re-encoded) hash alike, so the archive links them instead of holding them twice.
#pragma once
#include <filesystem>
#include <string>

namespace sohoa::archive {

/// dHash (256 bits: is each of 16x16 cells brighter than its right neighbour, on a 17x16 grey thumbnail)
/// of every page of the PDF, hex, joined by '.'; empty when it cannot be read or every page is
/// uniform (blank pages all hash alike and prove nothing).
std::string page_hashes(const std::filesystem::path& pdf);

}  // namespace sohoa::archive

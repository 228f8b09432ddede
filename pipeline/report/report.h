// OUT/report.html: one self-contained page for archive staff (opens from disk, no server).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "package/package.h"

namespace sohoa::report {

/// Per dossier and record: page thumbnails beside the OCR text, class and type with confidence,
/// metadata, flags that need a human, and a "needs review" filter. Written atomically.
void write_report(const std::filesystem::path& out_root, const std::vector<package::Dossier>& dossiers);

}  // namespace sohoa::report

// OUT/report.html: one self-contained page for archive staff (opens from disk, no server).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "package/package.h"

namespace sohoa::report {

/// Per dossier and record: page thumbnails beside the OCR text, class and type with confidence,
/// metadata, flags that need a human, and a "needs review" filter. Written atomically.
/// Page thumbnails are cached in OUT/.sohoa-cache/thumbs by the PDF's SHA-256; `other_outs`
/// (a merge's shard folders) are caches to look in too.
void write_report(const std::filesystem::path& out_root, const std::vector<package::Dossier>& dossiers,
                  const std::vector<std::filesystem::path>& other_outs = {});

}  // namespace sohoa::report

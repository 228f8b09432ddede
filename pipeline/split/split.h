// Cutting an input's pages into documents.
#pragma once
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::split {

/// True when the top of the page carries the national header ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
/// NAM" / "Độc lập - Tự do - Hạnh phúc"), which every administrative paper, form and ID card
/// opens with; tolerant of OCR errors and missing diacritics.
bool has_national_header(const std::string& page_text);

/// Documents of one input, in page order, each with the cue that started it:
/// "first_page", "national_header" (a new paper starts), "separator_sheet" (after a PATCHT sheet).
/// Separator sheets belong to no document; blank pages stay inside the document around them and
/// never start or make up one.
std::vector<Document> split_input(const SourceRef& source, const std::vector<Page>& pages);

}  // namespace sohoa::split

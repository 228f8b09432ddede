// A card's printed number, name and birth date, misread under glare or wear, put right in the
// page's text from the card's own QR code or machine-readable zone.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::extract {

/// For each metadata value whose source vouches for itself (a QR code whose number validates,
/// an MRZ's check digits), finds on its page the run of words of one line that reads as a
/// damaged copy of it (at least half its characters right, a word OCR itself doubted) and
/// writes the value there, so that search finds the citizen by what is printed. Each change is
/// kept in PageInfo::text_mended; a run that could be another value (a second card's number)
/// is left alone: it must be the page's one close reading, and OCR must have doubted it.
void mend_text_from_authority(const std::map<std::string, MetadataValue>& metadata, std::vector<Page>& pages);

/// How alike a read run and the value are, 0-1 (1 - edit distance / longer length), on the
/// letters and digits a field compares (digits only for numbers and dates, folded letters for
/// names). Exposed for tests.
double authority_similarity(const std::string& key, const std::string& read, const std::string& value);

}  // namespace sohoa::extract

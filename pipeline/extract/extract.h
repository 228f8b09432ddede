// Archive metadata read from a document's text.
#pragma once
#include <map>
#include <string>

#include "core/types.h"

namespace sohoa::extract {

/// The contract's metadata fields the catalogue names for the document's type; other metadata
/// (the unit under the issuing organ, "don_vi") goes to *extra when given.
std::map<std::string, MetadataValue> extract(const Document& doc, const std::vector<Page>& pages,
                                             const Classification& cls,
                                             std::map<std::string, std::string>* extra = nullptr);

}  // namespace sohoa::extract

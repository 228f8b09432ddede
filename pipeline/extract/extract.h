// Archive metadata read from a document's text.
#pragma once
#include <map>
#include <string>

#include "core/types.h"

namespace sohoa::extract {

std::map<std::string, MetadataValue> extract(const Document& doc, const std::vector<Page>& pages,
                                             const Classification& cls);

}  // namespace sohoa::extract

// Cutting an input's pages into documents.
#pragma once
#include <vector>

#include "core/types.h"

namespace sohoa::split {

/// Documents of one input, in page order. Blank pages never make a document on their own.
std::vector<Document> split_input(const SourceRef& source, const std::vector<Page>& pages);

}  // namespace sohoa::split

// Which kind of paper a document is, and whether it must be archived with metadata.
#pragma once
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::classify {

/// "single_use" or "reusable" for a doc_type code of the vocabulary.
std::string class_of(const std::string& doc_type);

/// A rule score from this up is a title read exactly (or a layout as telling): it outweighs the
/// model more than an inexact reading does.
constexpr double kSureRule = 0.88;
const std::vector<std::string>& vocabulary();

Classification classify(const Document& doc, const std::vector<Page>& pages);

}  // namespace sohoa::classify

// Where the data files under models/ are found at run time.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::models {

/// Folders searched, in order: $SOHOA_MODELS, <exe dir>/../models, <exe dir>/models,
/// <exe dir>/../share/sohoa/models, then the source tree's models/ (SOHOA_MODELS_DIR).
std::vector<std::string> dirs();
/// The first readable <dir>/<name> among dirs(); "" when there is none.
std::string find(std::string_view name);

}  // namespace sohoa::models

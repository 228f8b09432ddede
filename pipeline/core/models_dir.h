// Where the data under models/ is found at run time.
#pragma once
#include <string>
#include <vector>

namespace sohoa::fs {

/// Folders searched, in order: $SOHOA_MODELS, then models/ beside or above the executable,
/// ../share/sohoa/models, and the source tree's models/ the build was made from.
std::vector<std::string> model_dirs();
/// The first of model_dirs() that holds `name`; empty when none does.
std::string find_model_file(const std::string& name);

}  // namespace sohoa::fs

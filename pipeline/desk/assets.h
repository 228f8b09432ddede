// The desk's page, script and style, compiled into the binary (pipeline/desk/web/, embedded by
// pipeline/desk/embed.cmake) so that `sohoa review` needs no data folder and fetches nothing.
#pragma once
#include <string_view>

namespace sohoa::desk {

/// The embedded file of that name ("index.html", "app.js", "app.css"); empty when none.
std::string_view asset_text(std::string_view name);

}  // namespace sohoa::desk

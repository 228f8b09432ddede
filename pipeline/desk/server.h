// `sohoa review OUT`: the review desk served over HTTP (cpp-httplib) to archive staff.
#pragma once
#include <filesystem>
#include <string>

namespace sohoa::desk {

struct ServeOptions {
  std::filesystem::path out;
  std::string host = "127.0.0.1";
  int port = 8765;           // 0: any free port (printed)
  std::string token;         // required on every request; made up at random when empty
  std::string user;          // who the edits are by when the page does not say
  std::string default_dossier;
  size_t max_body = 64 * 1024;  // a correction is a few fields: anything bigger is refused (413)
  int pause_ms = 0;          // test seam: Desk::set_pause_ms
};

/// Serves until killed (SIGINT/SIGTERM stop it cleanly). Prints the address with its token on
/// stdout once listening. Returns a process exit code.
int serve(const ServeOptions& options);

/// Whether a --listen host is the loopback (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

}  // namespace sohoa::desk

#include "core/models_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace sohoa::fs {

namespace {

std::string exe_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return std::filesystem::path(buf).parent_path().string();
}

}  // namespace

std::vector<std::string> model_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("SOHOA_MODELS"); env && *env) dirs.push_back(env);
  const std::string ed = exe_dir();
  if (!ed.empty()) {
    dirs.push_back(ed + "/../models");
    dirs.push_back(ed + "/models");
    dirs.push_back(ed + "/../share/sohoa/models");
  }
#ifdef SOHOA_MODELS_DIR
  dirs.push_back(SOHOA_MODELS_DIR);
#endif
  return dirs;
}

std::string find_model_file(const std::string& name) {
  std::error_code ec;
  for (const std::string& d : model_dirs())
    if (std::filesystem::is_regular_file(d + "/" + name, ec)) return d + "/" + name;
  return {};
}

}  // namespace sohoa::fs

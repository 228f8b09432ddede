#include "core/models_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sohoa::models {

namespace {

std::string exe_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return std::filesystem::path(buf).parent_path().string();
}

}  // namespace

std::vector<std::string> dirs() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("SOHOA_MODELS"); env && *env) out.push_back(env);
  std::string ed = exe_dir();
  if (!ed.empty()) {
    out.push_back(ed + "/../models");
    out.push_back(ed + "/models");
    out.push_back(ed + "/../share/sohoa/models");
  }
#ifdef SOHOA_MODELS_DIR
  out.push_back(SOHOA_MODELS_DIR);
#endif
  return out;
}

std::string find(std::string_view name) {
  for (const std::string& d : dirs()) {
    std::string p = d + "/" + std::string(name);
    if (std::ifstream(p).good()) return p;
  }
  return {};
}

}  // namespace sohoa::models

// zip/tar/7z (plain or compressed): read_archive under small limits; every member it hands back must
// be a safe relative path within the limits, and is then opened like a plain input.
#include <string>

#include "fuzz_common.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sohoa;
  fuzz::quiet_libraries();
  const ingest::Limits limits = fuzz::small_limits();
  std::vector<uint8_t> bytes(data, data + size);
  std::vector<ingest::InputError> errors;
  try {
    auto members = ingest::read_archive(bytes, limits, errors, "fuzz.zip");
    if (members.size() > limits.max_archive_members) std::abort();
    uint64_t total = 0;
    for (const auto& m : members) {
      const std::string& n = m.name;
      if (n.empty() || n[0] == '/' || n.find('\\') != std::string::npos) std::abort();
      if (n == ".." || n.rfind("../", 0) == 0 || n.find("/../") != std::string::npos ||
          (n.size() >= 3 && n.compare(n.size() - 3, 3, "/..") == 0))
        std::abort();
      total += m.bytes->size();
      const ingest::Format f = ingest::sniff(*m.bytes);
      if (f == ingest::Format::pdf || ingest::is_image(f))
        fuzz::load_all_pages(m.bytes->data(), m.bytes->size(), f, limits);
    }
    if (total > limits.max_archive_expanded) std::abort();
  } catch (const Error&) {
  }
  return 0;
}

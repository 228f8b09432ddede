// PDF: Poppler opens it, qpdf takes single scanned images out, everything else is rendered.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sohoa;
  fuzz::quiet_libraries();
  if (ingest::sniff({data, size}) != ingest::Format::pdf) return -1;
  fuzz::load_all_pages(data, size, ingest::Format::pdf, fuzz::small_limits());
  return 0;
}

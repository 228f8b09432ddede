// PNG, JPEG, TIFF (and the other Leptonica formats): sniff, then every page as the batch loads it.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sohoa;
  fuzz::quiet_libraries();
  const ingest::Format format = ingest::sniff({data, size});
  if (!ingest::is_image(format)) return -1;  // not for this target: keep it out of the corpus
  fuzz::load_all_pages(data, size, format, fuzz::small_limits());
  return 0;
}

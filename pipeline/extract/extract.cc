#include "extract/extract.h"

namespace sohoa::extract {

std::map<std::string, MetadataValue> extract(const Document&, const std::vector<Page>&, const Classification&) {
  return {};  // not implemented yet: every key is written as null
}

}  // namespace sohoa::extract

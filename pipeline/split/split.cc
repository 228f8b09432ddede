#include "split/split.h"

#include <algorithm>

namespace sohoa::split {

std::vector<Document> split_input(const SourceRef& source, const std::vector<Page>& pages) {
  // Until stack splitting lands, an input is one document.
  const bool all_blank = std::all_of(pages.begin(), pages.end(), [](const Page& p) { return p.info.blank; });
  if (pages.empty() || all_blank) return {};
  Document doc;
  doc.source = source;
  doc.first_page = 1;
  doc.last_page = static_cast<int>(pages.size());
  for (int i = 0; i < static_cast<int>(pages.size()); ++i) doc.pages.push_back(i);
  doc.split_cue = "whole_input";
  return {doc};
}

}  // namespace sohoa::split

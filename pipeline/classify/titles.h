// Tên loại: the title line (upper case, centred, below the national header) and what it names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "classify/layout.h"

namespace sohoa::classify {

struct TitleMatch {
  std::string doc_type;  // empty: no title found
  std::string kind;      // the kind of van_ban_hanh_chinh it names ("thong_bao"), else empty
  std::string line;      // the title as read
  double score = 0;      // 0-1
  int page_no = 0;
};

/// The doc_type a title's folded, letters-only text starts with (tolerating one OCR error in
/// six letters); empty when none. *exact tells whether it matched without error; *kind the kind
/// of van_ban_hanh_chinh it names. The titles come from the document-type catalogue.
std::string title_type(std::string_view compact_title, bool* exact = nullptr, std::string* kind = nullptr);

TitleMatch find_title(const std::vector<layout::PageLayout>& pls);

}  // namespace sohoa::classify

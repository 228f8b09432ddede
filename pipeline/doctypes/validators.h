// The validators the catalogue names for each metadata field: what a well-formed value looks like.
#pragma once
#include <string>
#include <string_view>

#include "doctypes/doctypes.h"

namespace sohoa::doctypes {

/// What is wrong with `value` for the named validator ("so_ky_hieu", "date_past", "authority",
/// "person_name", "so_dinh_danh", "date_of_birth", "subject_line"); empty when it passes or
/// the validator is unknown. `type` tells shapes that depend on the document (a diploma's serial).
std::string check(std::string_view validator, const std::string& value, const Type& type,
                  const Catalogue& cat = catalogue());

/// 12 digits, a province code that exists, a century/sex digit 0-3 and, when the birth date is
/// known (ISO), a century and two year digits that agree with it. Empty when valid.
std::string check_so_dinh_danh(const std::string& id, const std::string& birth_iso);
/// "YYYY-MM-DD" that names a real day.
bool real_date(const std::string& iso);
/// Today as "YYYY-MM-DD" (UTC; SOURCE_DATE_EPOCH when set, so tests and reruns agree).
std::string today_iso();

}  // namespace sohoa::doctypes

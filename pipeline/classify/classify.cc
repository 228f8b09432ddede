#include "classify/classify.h"

#include <algorithm>

namespace sohoa::classify {

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> v = {
      "to_khai", "don", "phieu", "bien_nhan", "can_cuoc", "giay_khai_sinh", "giay_chung_nhan_ket_hon",
      "giay_xac_nhan_tinh_trang_hon_nhan", "trich_luc", "giay_chung_nhan_qsdd", "giay_phep_xay_dung",
      "giay_chung_nhan_dkkd", "quyet_dinh", "van_bang", "van_ban_hanh_chinh", "khac"};
  return v;
}

std::string class_of(const std::string& doc_type) {
  static const std::vector<std::string> single_use = {"to_khai", "don", "phieu", "bien_nhan"};
  return std::find(single_use.begin(), single_use.end(), doc_type) != single_use.end() ? "single_use" : "reusable";
}

Classification classify(const Document&, const std::vector<Page>&) {
  // Not implemented yet: every document is "khac" and kept as reusable, which never loses a
  // certificate. Flagged so nobody mistakes it for a decision.
  Classification c;
  c.doc_type = "khac";
  c.cls = class_of(c.doc_type);
  c.confidence = 0;
  c.method = "none";
  c.review = true;
  c.review_reason = "classification is not implemented yet";
  return c;
}

}  // namespace sohoa::classify

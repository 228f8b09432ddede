// Names the archive uses: Vietnamese names of the doc_type codes, and the clock of the output.
#pragma once
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>

namespace sohoa::output {

/// "giay_khai_sinh" -> "Giấy khai sinh" (tên loại văn bản); unknown codes come back unchanged.
inline std::string doc_type_name(const std::string& code) {
  static const std::map<std::string, std::string> names = {
      {"to_khai", "Tờ khai"},
      {"don", "Đơn"},
      {"phieu", "Phiếu"},
      {"bien_nhan", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
      {"can_cuoc", "Căn cước"},
      {"giay_khai_sinh", "Giấy khai sinh"},
      {"giay_chung_nhan_ket_hon", "Giấy chứng nhận kết hôn"},
      {"giay_xac_nhan_tinh_trang_hon_nhan", "Giấy xác nhận tình trạng hôn nhân"},
      {"trich_luc", "Trích lục hộ tịch"},
      {"giay_chung_nhan_qsdd", "Giấy chứng nhận quyền sử dụng đất"},
      {"giay_phep_xay_dung", "Giấy phép xây dựng"},
      {"giay_chung_nhan_dkkd", "Giấy chứng nhận đăng ký kinh doanh"},
      {"quyet_dinh", "Quyết định"},
      {"van_bang", "Văn bằng, chứng chỉ"},
      {"van_ban_hanh_chinh", "Văn bản hành chính"},
      {"khac", "Tài liệu khác"},
  };
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

/// Seconds since the epoch for dates sohoa writes: SOURCE_DATE_EPOCH when set (reproducible
/// builds convention, makes packages byte-identical across runs), else the clock.
inline long long output_epoch() {
  if (const char* s = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    const long long v = std::strtoll(s, &end, 10);
    if (end && *end == '\0' && v >= 0) return v;
  }
  return static_cast<long long>(std::time(nullptr));
}

/// "2025-03-01T08:00:00Z".
inline std::string iso_utc(long long epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sohoa::output

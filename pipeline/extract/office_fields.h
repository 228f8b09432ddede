// What an office adds to a văn bản and what its closing block says: urgency and secrecy marks,
// the arrival stamp, the signature block, the recipient list; and the printed slots whose
// handwritten part could not be read (flagged, never guessed).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "classify/layout.h"
#include "core/types.h"

namespace sohoa::extract {

/// Keys this adds to the metadata map (record_writer gives them their JSON shape):
///   do_khan ("KHẨN" | "THƯỢNG KHẨN" | "HỎA TỐC"), do_mat ("MẬT" | "TỐI MẬT" | "TUYỆT MẬT"),
///   van_ban_den.so_den, van_ban_den.ngay_den (ISO date; only with a year printed or stamped),
///   tham_quyen_ky ("KT. CHỦ TỊCH"), chuc_vu_nguoi_ky ("PHÓ CHỦ TỊCH"), nguoi_ky,
///   noi_nhan (one recipient a line), and review.<key>: why a field was left empty for a person.
/// `found` holds what the other extractors already read (a slot that was read is not flagged).
void find_office_fields(const std::vector<layout::PageLayout>& pls, const std::vector<Page>& pages,
                        std::map<std::string, MetadataValue>& found);

/// A form's "…, ngày __ tháng 06 năm 2023" whose day was not read (handwritten, or printed in an
/// italic OCR misreads): the digit recogniser's reading, asked of a person, or review.ngay_ban_hanh
/// saying why it is empty. A form has no office fields, but an unread date is no date.
void find_form_date(const std::vector<layout::PageLayout>& pls, const std::vector<Page>& pages,
                    std::map<std::string, MetadataValue>& found);

/// A handwritten day (source "handwritten") later than the document's digital signature cannot
/// be its date: such a reading is taken back and the field asked of a person. The signing time
/// is UTC and the paper's date local (UTC+7): a day after the UTC date is still possible.
void check_handwritten_date(std::map<std::string, MetadataValue>& metadata, const std::vector<DigitalSignature>& signatures);

/// The signer's name under the signature, where a person's certificate whose signature holds
/// bears the same name but for its marks or case ("Trần Hoàng Tuần" printed, "TRẦN HOÀNG TUẤN"
/// signed): spelt as the certificate has it, which no OCR slip made, and no longer in doubt.
void check_signer(std::map<std::string, MetadataValue>& metadata, const std::vector<DigitalSignature>& signatures);

}  // namespace sohoa::extract

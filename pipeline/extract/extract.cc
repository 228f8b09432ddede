#include "extract/extract.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <set>

#include "classify/layout.h"
#include "classify/qr.h"
#include "core/text.h"
#include "extract/fields.h"
#include "extract/office_fields.h"

namespace sohoa::extract {

using layout::PageLayout;
using layout::Seg;

namespace {

bool citizen_form(const std::string& t) { return t == "to_khai" || t == "don" || t == "phieu"; }

MetadataValue mv(std::string v, const Seg& s, const Page& p) {
  return {std::move(v), p.info.text_source == "pdf_text" ? "pdf_text" : "ocr", s.page_no};
}

}  // namespace

std::map<std::string, MetadataValue> extract(const Document& doc, const std::vector<Page>& pages,
                                             const Classification& cls) {
  std::map<std::string, MetadataValue> out;
  std::vector<PageLayout> pls = layout::read(doc, pages);
  if (pls.empty()) return out;
  const std::string& t = cls.doc_type;
  if (std::getenv("SOHOA_DEBUG_LAYOUT"))
    for (const PageLayout& pl : pls)
      for (const Seg& s : pl.segs)
        std::fprintf(stderr, "p%d l%d [%d,%d %dx%d] %s\n", pl.page_no, s.line, s.box.x, s.box.y, s.box.w, s.box.h, s.text.c_str());
  auto page_of = [&](const Seg& s) -> const Page& { return pages[s.page_idx]; };
  auto put = [&](const char* key, const std::optional<Found>& f) {
    if (f && !f->value.empty()) out[key] = mv(f->value, f->seg, page_of(f->seg));
  };

  if (!citizen_form(t) && t != "can_cuoc") put("so_ky_hieu", find_so_ky_hieu(pls, t));
  put("ngay_ban_hanh", find_issue_date(pls, t));
  if (!citizen_form(t)) put("co_quan_ban_hanh", find_issuer(pls, t));
  if (t == "quyet_dinh" || t == "van_ban_hanh_chinh") {
    std::optional<Found> ty = find_trich_yeu(pls, t);
    put("trich_yeu", ty);
    if (t == "quyet_dinh" && ty) put("ho_ten", person_in_subject(ty->value, ty->seg));
  } else {
    PersonFields pf = find_person(pls, t);
    put("ho_ten", pf.ho_ten);
    put("ngay_sinh", pf.ngay_sinh);
    put("so_dinh_danh", pf.so_dinh_danh);
  }

  // Accents damaged in one place are read right in others: the document votes.
  for (const char* key : {"co_quan_ban_hanh", "ho_ten"})
    if (auto it = out.find(key); it != out.end())
      it->second.value = respell(it->second.value, pls, std::string(key) == "ho_ten");

  if (!citizen_form(t) && t != "can_cuoc") find_office_fields(pls, pages, out);

  // Chip ID cards: the QR code's data beats OCR.
  bool card_like = t == "can_cuoc";
  for (const PageLayout& pl : pls) {
    if (pl.width > 0 && pl.dpi > 0) {
      double w = pl.width / pl.dpi * 25.4, h = pl.height / pl.dpi * 25.4;
      if (std::max(w, h) < 130 && std::min(w, h) < 90) card_like = true;
    }
  }
  if (card_like) {
    for (const PageLayout& pl : pls) {
      // The codes prepare read from the page; decode the colour image (every turn) only when
      // none of them is a CCCD code.
      const Page& page = pages[pl.page_idx];
      const bool read = std::any_of(page.barcodes.begin(), page.barcodes.end(),
                                    [](const std::string& q) { return qr::parse_cccd(q).has_value(); });
      for (const std::string& q : read ? page.barcodes : qr::decode(page)) {
        std::optional<qr::CccdData> d = qr::parse_cccd(q);
        if (!d) continue;
        if (valid_id12(d->so_dinh_danh, d->ngay_sinh)) out["so_dinh_danh"] = {d->so_dinh_danh, "qr", pl.page_no};
        out["ho_ten"] = {proper_name(d->ho_ten), "qr", pl.page_no};
        if (!d->ngay_sinh.empty()) out["ngay_sinh"] = {d->ngay_sinh, "qr", pl.page_no};
        break;
      }
    }
  }
  return out;
}

}  // namespace sohoa::extract

#include "review/review.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "classify/classify.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"

namespace sohoa::review {

namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// "QĐ" of "12/QĐ-UBND", "" of "138"; the issuer part "UBND" in *issuer.
std::string number_abbrev(const std::string& so_ky_hieu, std::string* issuer) {
  std::string rest = so_ky_hieu;
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return {};
  rest = rest.substr(slash + 1);
  // "12/2020/NĐ-CP": the year comes first.
  if (rest.size() > 5 && rest.find_first_not_of("0123456789") == 4 && rest[4] == '/') rest = rest.substr(5);
  const size_t dash = rest.find('-');
  if (issuer) *issuer = dash == std::string::npos ? "" : rest.substr(dash + 1);
  return rest.substr(0, dash);
}

/// Two readings of a value are the same when they differ only in case and spacing; a tone
/// mark is a difference ("An" and "Ấn" are two names).
bool same_reading(const std::string& a, const std::string& b) {
  auto norm = [](const std::string& s) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text::collapse_spaces(text::nfc(s)));
    u.toLower(icu::Locale::getRoot());
    std::string out;
    return u.toUTF8String(out);
  };
  return norm(a) == norm(b);
}

bool folded_starts(const std::string& value, const std::string& prefix) {
  const std::string f = text::fold(value), p = text::fold(prefix);
  return f.compare(0, p.size(), p) == 0;
}

struct Assessor {
  Record& r;
  const std::vector<Page>& pages;
  const doctypes::Catalogue& cat = doctypes::catalogue();
  const doctypes::Type& type = cat.get(r.classification.doc_type);

  void add(const char* code, const std::string& field, const std::string& detail) {
    for (const ReviewReason& x : r.review_reasons)
      if (x.code == code && x.field == field) return;  // one reason of a kind per field
    r.review_reasons.push_back({code, field, detail});
  }

  static bool digits_field(const std::string& key) {
    return key == "ngay_ban_hanh" || key == "ngay_sinh" || key == "so_ky_hieu" || key == "so_dinh_danh";
  }

  /// What every card prints on the face its code is read with (the issue date is on the back).
  static bool printed_on_card(const std::string& key) {
    return key == "ho_ten" || key == "so_dinh_danh" || key == "ngay_sinh";
  }

  /// Whether the document's text has the value (letters and digits only, without diacritics or
  /// case; a date as dd/mm/yyyy).
  bool in_text(const MetadataValue& v) const {
    auto squeeze = [](const std::string& s) {
      std::string out;
      for (char c : text::fold(s))
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
      return out;
    };
    std::vector<std::string> forms{squeeze(v.value)};
    if (doctypes::real_date(v.value))  // 1990-04-29 printed 29/04/1990
      forms = {v.value.substr(8, 2) + v.value.substr(5, 2) + v.value.substr(0, 4)};
    for (int idx : r.document.pages) {
      if (idx < 0 || idx >= static_cast<int>(pages.size())) continue;
      const std::string t = squeeze(pages[idx].ocr.text);
      for (const std::string& f : forms)
        if (!f.empty() && t.find(f) != std::string::npos) return true;
    }
    return false;
  }

  bool field_required(const std::string& key) const {
    if (type.must_have(key)) return true;
    if (key == "trich_yeu" && !r.classification.kind.empty())
      if (const doctypes::Kind* k = cat.find_kind(r.classification.kind)) return k->trich_yeu_required;
    return false;
  }

  double pages_factor() {
    double factor = 1;
    bool any_text = false;
    for (int idx : r.document.pages) {
      if (idx < 0 || idx >= static_cast<int>(pages.size())) continue;
      const PageInfo& p = pages[idx].info;
      const std::string page = "page " + std::to_string(p.number);
      if (!p.error.empty()) {
        add("page_error", "", page + ": " + p.error);
        factor = std::min(factor, 0.3);
        continue;
      }
      if (p.blank || p.separator) continue;
      if (!pages[idx].ocr.words.empty() || !pages[idx].ocr.text.empty()) any_text = true;
      if (p.text_source == "ocr" && p.ocr_confidence < kUnreadablePage) {
        add("text_unreadable", "", page + ": OCR confidence " + fmt("%.0f", p.ocr_confidence));
        factor = std::min(factor, p.ocr_confidence / 100.0);
      }
    }
    if (!any_text) {
      add("no_text", "", "no text was read from the document");
      factor = 0;
    }
    return factor;
  }

  void classification() {
    const Classification& c = r.classification;
    if (!type.review_always.empty()) add("type_unknown", "", type.review_always);
    if (c.rule_type.empty() && c.doc_type != "khac")
      add("type_unidentified", "",
          "no title, number or layout names the type; the model alone says " + c.doc_type + " (" +
              fmt("%.2f", c.confidence) + ")");
    // Naive Bayes is sure of some type on any text; on one unlike its pick's training texts its
    // vote against a title read exactly (that the type follows) is no doubt about the title.
    const bool model_counts = c.rule_score < classify::kSureRule || c.doc_type != c.rule_type ||
                              c.model_familiarity >= kFamiliarVote;
    if (!c.rule_type.empty() && !c.model_type.empty() && c.model_type != c.rule_type && c.model_p >= 0.5 && model_counts)
      add("type_disagreement", "",
          "the title or number says " + c.rule_type + ", the model " + c.model_type + " (p=" + fmt("%.2f", c.model_p) + ")");
    if (c.review && type.review_always.empty()) add("type_low_confidence", "", c.review_reason);
  }

  void fields() {
    for (const std::string& key : metadata_keys()) {
      auto it = r.metadata.find(key);
      const std::string& name = cat.field_names.count(key) ? cat.field_names.at(key) : key;
      if (it == r.metadata.end()) {
        // A printed slot whose handwritten part could not be read: never guessed, always asked.
        if (auto note = r.metadata.find("review." + key); note != r.metadata.end())
          add("field_unreadable", key, name + ": " + note->second.value);
        else if (field_required(key))
          add("field_missing", key, name + " not found; a " + type.name + " has one");
        continue;
      }
      MetadataValue& v = it->second;
      double conf = v.source == "qr" || v.source == "mrz" ? 0.99 : v.source == "pdf_text" ? 0.97 : 0.95;
      const auto vit = cat.field_validators.find(key);
      const std::string problem = vit == cat.field_validators.end() ? "" : doctypes::check(vit->second, v.value, type, cat);
      if (!problem.empty()) {
        add("field_invalid", key, name + ": " + problem);
        conf *= 0.3;
      }
      // An MRZ name spells the printed name's letters, not its diacritics: those are as sure as
      // the printed words OCR read them from, and one doubtful word ("QUẦN" for "QUÂN") is a
      // doubtful mark, which the name's mean confidence hides.
      const bool mrz_name = v.source == "mrz" && key == "ho_ten";
      // A value matched to the catalogue's closed list: a misread letter could not make another
      // entry of it, so low confidence in the letters says nothing about the value.
      if ((v.source == "ocr" || mrz_name) && v.word_confidence >= 0 && v.catalogue_match.empty()) {
        conf = std::min(conf, v.word_confidence / 100.0);
        if (v.word_confidence < kLowWordConfidence)
          add("field_low_confidence", key, name + " \"" + v.value + "\" read with OCR confidence " + fmt("%.0f", v.word_confidence));
        else if (mrz_name && v.min_word_confidence >= 0 && v.min_word_confidence < kLowWordConfidence) {
          add("field_low_confidence", key,
              name + " \"" + v.value + "\": the machine-readable zone vouches for its letters, but a word's diacritics were read with OCR confidence " +
                  fmt("%.0f", v.min_word_confidence));
          conf = std::min(conf, v.min_word_confidence / 100.0);
        } else if (digits_field(key) && v.min_word_confidence >= 0 && v.min_word_confidence < kLowDigitConfidence) {
          add("field_low_confidence", key,
              name + " \"" + v.value + "\": a word of it read with OCR confidence " + fmt("%.0f", v.min_word_confidence));
          conf = std::min(conf, v.min_word_confidence / 100.0);
        }
      }
      if (!v.corrections.empty()) conf *= 0.9;
      if (v.source == "handwritten") {
        // Read by the digit recogniser where OCR could not: nothing else on the page vouches for
        // the digits (a 1 for a 7 is still a possible number or day), so a person confirms it.
        add("field_low_confidence", key,
            name + " \"" + v.value + "\": its handwritten digits read by the digit recogniser (least sure p=" +
                fmt("%.2f", v.min_word_confidence / 100.0) + "); confirm it");
        conf = std::min(conf, 0.7);
      }
      if (v.source == "inferred") {
        add("field_low_confidence", key,
            name + " \"" + v.value + "\" is not printed in full: " +
                (key == "co_quan_ban_hanh" && !type.issuer_address_rule.empty() ? type.issuer_address_rule : "inferred") +
                "; confirm it");
        conf = std::min(conf, 0.6);
      }
      for (const Correction& d : v.doubts) {
        add("field_low_confidence", key,
            name + ": \"" + d.before + "\" reads like a slip for \"" + d.after + "\" (" + d.why + ")" +
                (d.applied ? "; the value has \"" + d.after + "\", OCR read \"" + d.before + "\": confirm" : ""));
        conf = std::min(conf, 0.6);
      }
      if ((v.source == "qr" || v.source == "mrz") && printed_on_card(key) && !in_text(v)) {
        // The code vouches for the value, but the same value printed on the card was not read:
        // the searchable text is wrong there, and only a person can mend it.
        add("text_unreadable", key, name + " \"" + v.value + "\" is in the card's " + (v.source == "qr" ? "QR code" : "machine-readable zone") +
                                        " but not in the text read from the document");
      }
      for (const auto& [source, other] : v.other_readings) {
        if (same_reading(other, v.value)) continue;
        if (v.authority_checked) continue;  // kept as evidence: the checked source is the authority
        add("sources_disagree", key, name + ": " + v.source + " says \"" + v.value + "\", " + source + " says \"" + other + "\"");
        conf = std::min(conf, 0.5);
      }
      v.confidence = std::round(conf * 100) / 100;
    }
  }

  /// The signer's name is the archive's too: a doubt of its marks is asked like any field's.
  void signer() {
    auto it = r.metadata.find("nguoi_ky");
    if (it == r.metadata.end()) return;
    const std::string name = cat.field_names.count("nguoi_ky") ? cat.field_names.at("nguoi_ky") : "nguoi_ky";
    for (const Correction& d : it->second.doubts)
      add("field_low_confidence", "nguoi_ky", name + ": \"" + d.before + "\" reads like a slip for \"" + d.after + "\" (" + d.why + ")");
  }

  /// Fields beyond the contract's keys (a card's expiry) whose printed label had no readable
  /// value: asked like the others.
  void other_fields() {
    for (const auto& [key, note] : r.metadata) {
      if (key.rfind("review.", 0) != 0) continue;
      const std::string field = key.substr(7);
      if (std::find(metadata_keys().begin(), metadata_keys().end(), field) != metadata_keys().end()) continue;
      if (r.metadata.count(field)) continue;
      const std::string& name = cat.field_names.count(field) ? cat.field_names.at(field) : field;
      add("field_unreadable", field, name + ": " + note.value);
    }
  }

  void cross_fields() {
    auto get = [&](const char* k) -> const MetadataValue* {
      auto it = r.metadata.find(k);
      return it == r.metadata.end() ? nullptr : &it->second;
    };
    const MetadataValue *birth = get("ngay_sinh"), *issued = get("ngay_ban_hanh"), *id = get("so_dinh_danh"),
                        *number = get("so_ky_hieu"), *issuer = get("co_quan_ban_hanh");
    auto lower = [&](const char* k, double to) {
      if (auto it = r.metadata.find(k); it != r.metadata.end()) it->second.confidence = std::min(it->second.confidence, to);
    };
    if (birth && issued && doctypes::real_date(birth->value) && doctypes::real_date(issued->value) &&
        birth->value > issued->value && type.person != "applicant") {
      add("fields_disagree", "ngay_sinh", "born " + birth->value + ", after the document was issued (" + issued->value + ")");
      lower("ngay_sinh", 0.3), lower("ngay_ban_hanh", 0.3);
    }
    if (id && birth && doctypes::real_date(birth->value)) {
      const std::string problem = doctypes::check_so_dinh_danh(id->value, birth->value);
      if (!problem.empty() && doctypes::check_so_dinh_danh(id->value, "").empty()) {
        add("fields_disagree", "so_dinh_danh", problem);
        lower("so_dinh_danh", 0.3), lower("ngay_sinh", 0.3);
      }
    }
    if (number) {
      std::string issuer_abbrev;
      const std::string abbrev = number_abbrev(number->value, &issuer_abbrev);
      const std::string folded = [&] {
        std::string s;
        for (char ch : text::fold(abbrev))
          if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) s.push_back(ch);
        return s;
      }();
      const auto [code, kind] = folded.empty() ? std::pair<std::string, std::string>{} : cat.by_abbrev(folded);
      if (!code.empty() && code != r.classification.doc_type) {
        add("fields_disagree", "so_ky_hieu",
            "the number " + number->value + " is that of a " + cat.get(code).name + ", the document was classified " + type.name);
        lower("so_ky_hieu", 0.5);
      }
      if (issuer && !issuer_abbrev.empty()) {
        for (const auto& [abbr, full] : cat.issuer_abbrevs) {
          if (issuer_abbrev.compare(0, abbr.size(), abbr) != 0) continue;
          if (!folded_starts(issuer->value, full) && !folded_starts(issuer->value, abbr)) {
            add("fields_disagree", "co_quan_ban_hanh",
                "the number " + number->value + " names a " + full + ", the issuer read is \"" + issuer->value + "\"");
            lower("co_quan_ban_hanh", 0.5);
          }
        }
      }
    }
  }

  /// The input's digital signatures: bytes changed since signing, or a certificate the --trust
  /// anchors do not vouch for (one reason of each kind, naming every signature it is about).
  /// Without anchors a certificate is judged by nobody: not asked.
  double signatures() {
    std::string invalid, untrusted;
    for (size_t i = 0; i < r.signatures.size(); ++i) {
      const DigitalSignature& s = r.signatures[i];
      const std::string who = "signature " + std::to_string(i + 1) + (s.signer_name.empty() ? "" : " (" + s.signer_name + ")");
      if (!s.error.empty() || !s.bytes_intact) {
        invalid += (invalid.empty() ? "" : "; ") + who + ": " +
                   (s.error.empty() ? "the signed bytes were changed or the signature does not verify" : s.error);
      } else if (s.trust_anchors && s.certificate != "valid") {
        std::string problems;
        for (const std::string& p : s.certificate_problems) problems += (problems.empty() ? "" : ", ") + p;
        untrusted += (untrusted.empty() ? "" : "; ") + who + ": certificate " + (problems.empty() ? s.certificate : problems);
      }
    }
    if (!invalid.empty()) add("signature_invalid", "", invalid);
    if (!untrusted.empty()) add("signature_untrusted", "", untrusted + " (against the trust anchors)");
    return !invalid.empty() ? 0.3 : !untrusted.empty() ? 0.6 : 1;
  }

  void run() {
    r.review_reasons.clear();
    const double page_factor = pages_factor() * signatures();
    classification();
    fields();
    other_fields();
    signer();
    cross_fields();
    double conf = r.classification.confidence * page_factor;
    for (const std::string& key : metadata_keys())
      if (auto it = r.metadata.find(key); it != r.metadata.end()) conf = std::min(conf, it->second.confidence);
    for (const ReviewReason& x : r.review_reasons)
      if (x.code == std::string("field_missing") || x.code == std::string("field_unreadable")) conf = std::min(conf, 0.5);
    r.confidence = std::round(std::clamp(conf, 0.0, 1.0) * 100) / 100;
    r.review = !r.review_reasons.empty();
  }
};

}  // namespace

void assess(Record& record, const std::vector<Page>& pages) { Assessor{record, pages}.run(); }

}  // namespace sohoa::review

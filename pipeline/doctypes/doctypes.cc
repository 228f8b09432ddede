#include "doctypes/doctypes.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/models_dir.h"
#include "core/text.h"

namespace sohoa::doctypes {

namespace {

using json = nlohmann::json;
constexpr const char* kFile = "doctypes.json";

std::string compact(std::string_view printed) {
  std::string out;
  for (char c : text::fold(printed))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  return out;
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> v;
  if (j.contains(key))
    for (const auto& s : j.at(key)) v.push_back(text::nfc(s.get<std::string>()));
  return v;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool Type::must_have(std::string_view field) const { return contains(required, field); }
bool Type::expects(std::string_view field) const { return must_have(field) || contains(optional, field); }
bool Type::has_cue(std::string_view cue) const { return contains(cues, cue); }

const Type* Catalogue::find(std::string_view code) const {
  for (const Type& t : types)
    if (t.code == code) return &t;
  return nullptr;
}

const Type& Catalogue::get(std::string_view code) const {
  if (const Type* t = find(code)) return *t;
  if (const Type* k = find("khac")) return *k;
  return types.back();
}

std::vector<std::string> Catalogue::codes() const {
  std::vector<std::string> v;
  for (const Type& t : types) v.push_back(t.code);
  return v;
}

std::pair<std::string, std::string> Catalogue::by_abbrev(std::string_view folded) const {
  for (const Type& t : types) {
    for (const std::string& a : t.number_abbrevs)
      if (compact(a) == folded) return {t.code, ""};
    for (const std::string& p : t.number_abbrev_prefixes)
      if (folded.substr(0, compact(p).size()) == compact(p)) return {t.code, ""};
    for (const Kind& k : t.kinds)
      if (!k.abbrev.empty() && compact(k.abbrev) == folded) return {t.code, k.kind};
  }
  return {};
}

const Kind* Catalogue::find_kind(std::string_view kind) const {
  for (const Type& t : types)
    for (const Kind& k : t.kinds)
      if (k.kind == kind) return &k;
  return nullptr;
}

Catalogue load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::internal, "cannot read the document-type catalogue " + path);
  Catalogue c;
  c.path = path;
  try {
    const json j = json::parse(in);
    for (const auto& [key, f] : j.at("fields").items()) {
      c.field_names[key] = f.at("name").get<std::string>();
      c.field_validators[key] = f.value("validator", "");
      for (const std::string& l : strings(f, "slot_labels")) c.field_slot_labels[key].push_back(text::fold(l));
    }
    for (const json& jt : j.at("types")) {
      Type t;
      t.code = jt.at("code").get<std::string>();
      t.cls = jt.at("class").get<std::string>();
      if (t.cls != "single_use" && t.cls != "reusable")
        throw Error(ErrorCode::internal, "type " + t.code + ": class must be single_use or reusable");
      t.name = text::nfc(jt.at("name").get<std::string>());
      t.titles = strings(jt, "titles");
      t.title_is_first_word = jt.value("title_is_first_word", false);
      t.number_abbrevs = strings(jt, "number_abbrevs");
      t.number_abbrev_prefixes = strings(jt, "number_abbrev_prefixes");
      t.cues = strings(jt, "cues");
      t.person = jt.value("person", "none");
      t.review_always = jt.value("review_always", "");
      t.so_ky_hieu_shape = jt.value("so_ky_hieu_shape", "number");
      if (jt.contains("fields")) {
        t.required = strings(jt.at("fields"), "required");
        t.optional = strings(jt.at("fields"), "optional");
      }
      for (const std::string& f : t.required)
        if (!c.field_names.count(f)) throw Error(ErrorCode::internal, "type " + t.code + " requires unknown field " + f);
      if (jt.contains("issuer_by_address")) {
        const json& ia = jt.at("issuer_by_address");
        t.issuer_address_labels = strings(ia, "address_labels");
        t.issuer_address_not_labels = strings(ia, "not_labels");
        t.issuer_address_rule = ia.value("rule", "");
      }
      for (const std::string& k : strings(jt, "known_issuers")) t.known_issuers.push_back(text::nfc(k));
      for (const std::string& l : strings(jt, "issue_date_labels")) t.issue_date_labels.push_back(text::fold(l));
      if (jt.contains("valid_for")) {
        const json& v = jt.at("valid_for");
        t.valid_months = v.value("months", 0);
        t.valid_from_field = v.value("from_field", "ngay_ban_hanh");
        t.valid_until_field = v.value("until_field", "");
        t.valid_rule = v.value("rule", "");
        for (const std::string* f : {&t.valid_from_field, &t.valid_until_field})
          if (!f->empty() && !c.field_names.count(*f))
            throw Error(ErrorCode::internal, "type " + t.code + ": valid_for names unknown field " + *f);
      }
      if (jt.contains("reissue")) {
        t.reissue_supersedes_older = jt.at("reissue").value("supersedes_older", false);
        t.reissue_rule = jt.at("reissue").value("rule", "");
      }
      t.same_document_when = strings(jt, "same_document_when");
      for (const std::string& f : t.same_document_when)
        if (!c.field_names.count(f)) throw Error(ErrorCode::internal, "type " + t.code + ": same_document_when names unknown field " + f);
      if (jt.contains("persons")) {
        for (const json& jp : jt.at("persons")) {
          PersonFields p;
          p.role = jp.at("role").get<std::string>();
          p.role_name = text::nfc(jp.value("role_name", p.role));
          p.name = jp.at("name").get<std::string>();
          p.id = jp.value("id", "");
          p.born = jp.value("born", "");
          for (const std::string* f : {&p.name, &p.id, &p.born})
            if (!f->empty() && !c.field_names.count(*f))
              throw Error(ErrorCode::internal, "type " + t.code + ": person " + p.role + " names unknown field " + *f);
          t.persons.push_back(std::move(p));
        }
      } else if (t.person != "none" && (t.must_have("ho_ten") || t.expects("ho_ten"))) {
        t.persons.push_back({t.person, t.person, "ho_ten", "so_dinh_danh", "ngay_sinh"});
      }
      for (const json& jk : jt.value("kinds", json::array())) {
        Kind k;
        k.kind = jk.at("kind").get<std::string>();
        k.name = text::nfc(jk.at("name").get<std::string>());
        k.titles = strings(jk, "titles");
        k.abbrev = text::nfc(jk.value("abbrev", ""));
        k.structure = jk.value("structure", "");
        k.trich_yeu_required = jk.value("trich_yeu", "") == "required";
        k.legal_normative = jk.value("legal_normative", false);
        k.title_is_first_word = jk.value("title_is_first_word", false);
        t.kinds.push_back(std::move(k));
      }
      c.types.push_back(std::move(t));
    }
    c.authority_words = strings(j, "authority_words");
    if (j.contains("desk_units")) c.desk_units = strings(j.at("desk_units"), "names");
    if (j.contains("signer_positions")) {
      c.signer_positions = strings(j.at("signer_positions"), "names");
      // "Tổng Giám đốc" before "Giám đốc" would never be reached otherwise: longest first.
      std::stable_sort(c.signer_positions.begin(), c.signer_positions.end(),
                       [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    }
    if (j.contains("arrival_stamp")) {
      const json& a = j.at("arrival_stamp");
      auto folded = [&](const char* key) {
        std::vector<std::string> v;
        for (const std::string& s : strings(a, key)) v.push_back(text::fold(s));
        // "số đến" before "số": the longer label is the one printed.
        std::stable_sort(v.begin(), v.end(), [](const std::string& x, const std::string& y) { return x.size() > y.size(); });
        return v;
      };
      c.arrival_stamp = {folded("heads"), folded("number_labels"), folded("date_labels")};
    }
    const json issuers = j.value("issuer_abbrevs", json::object());
    for (const auto& [abbr, full] : issuers.items()) c.issuer_abbrevs[text::nfc(abbr)] = text::nfc(full.get<std::string>());
  } catch (const json::exception& e) {
    throw Error(ErrorCode::internal, "the document-type catalogue " + path + " is malformed: " + e.what());
  }
  if (!c.find("khac")) throw Error(ErrorCode::internal, "the document-type catalogue " + path + " has no \"khac\" type");
  for (const Type& t : c.types) {
    for (const std::string& title : t.titles) c.titles.push_back({compact(title), t.code, "", t.title_is_first_word});
    for (const Kind& k : t.kinds)
      for (const std::string& title : k.titles) c.titles.push_back({compact(title), t.code, k.kind, k.title_is_first_word});
  }
  return c;
}

const Catalogue& catalogue() {
  static const Catalogue c = [] {
    const std::string path = models::find(kFile);
    if (path.empty())
      throw Error(ErrorCode::internal, std::string("the document-type catalogue models/") + kFile +
                                           " was not found (set SOHOA_MODELS to the folder that holds it)");
    return load(path);
  }();
  return c;
}

std::string name_of(std::string_view code) {
  const Type* t = catalogue().find(code);
  return t ? t->name : std::string(code);
}

std::string class_of(std::string_view code) {
  const Type* t = catalogue().find(code);
  return t ? t->cls : "reusable";
}

}  // namespace sohoa::doctypes

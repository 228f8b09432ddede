#include "classify/classify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>

#include "classify/layout.h"
#include "classify/model.h"
#include "classify/titles.h"
#include "core/text.h"
#include "doctypes/doctypes.h"

namespace sohoa::classify {

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> v = doctypes::catalogue().codes();
  return v;
}

std::string class_of(const std::string& doc_type) { return doctypes::class_of(doc_type); }

namespace {

constexpr double kReviewBelow = 0.6;
constexpr double kUnaddressedVote = 0.5;  // the model's vote for a type the "Kính gửi" line rules out

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// "Số: 12/QĐ-UBND" in the first lines: the kind abbreviation after the number hints the type
/// (the catalogue says which abbreviation names what). The number line starts with "Số"; one
/// inside a sentence cites another paper ("Thực hiện Nghị quyết số 42/NQ-CP ngày ...") and says
/// nothing of this one's type.
std::string number_hint(const std::vector<layout::PageLayout>& pls, std::string* shown, std::string* kind,
                        bool* no_type_abbrev = nullptr) {
  if (pls.empty()) return {};
  static const std::regex re(R"((?:^|\s)s[oô0]\s*[:;.]?\s*[0-9oil]{1,5}\s*/\s*(?:[0-9]{4}\s*/\s*)?([a-z]{1,6})(?![a-z0-9]))");
  int n = 0;
  for (const layout::Seg& s : pls.front().segs) {
    if (++n > 25) break;
    std::smatch m;
    if (!std::regex_search(s.folded, m, re)) continue;
    if (layout::compact(m.prefix().str()).size() > 2) continue;  // a stray mark or two of OCR junk at most
    *shown = s.text;
    auto [code, k] = doctypes::catalogue().by_abbrev(m[1].str());
    *kind = k;
    if (no_type_abbrev) *no_type_abbrev = code.empty();
    return code;
  }
  return {};
}

bool card_sized(const layout::PageLayout& pl, std::string* why) {
  if (pl.width <= 0 || pl.height <= 0) return false;
  double w = pl.width / pl.dpi * 25.4, h = pl.height / pl.dpi * 25.4;
  double big = std::max(w, h), small = std::min(w, h);
  if (big > 75 && big < 130 && small > 45 && small < 90 && big / small > 1.3 && big / small < 1.9) {
    *why = "card-sized page " + fmt("%.0f", w) + "x" + fmt("%.0f", h) + " mm";
    return true;
  }
  return false;
}

/// Officials' papers without a title of their own (công văn): a "Kính gửi" line, and a "V/v"
/// subject in the top left or, where OCR lost that (a photo's small print), the "Nơi nhận" list
/// of recipients an official's letter ends with (NĐ 30/2020; a citizen's đơn has none).
/// Returns the cues seen, empty when it does not look like one.
std::string cong_van_cues(const std::vector<layout::PageLayout>& pls, bool* addressed = nullptr) {
  if (pls.empty()) return {};
  bool vv = false, kg = false, recipients = false;
  int n = 0;
  for (const layout::Seg& s : pls.front().lines) {
    if (++n > 30) break;
    std::string c = layout::compact(s.folded);
    if (s.folded.rfind("v/v", 0) == 0 || s.folded.find(" v/v ") != std::string::npos ||
        s.folded.rfind("vv ", 0) == 0)
      vv = true;
    if (c.rfind("kinhgui", 0) == 0) kg = true;
  }
  // "Nơi nhận:" opens a line of the last page; its "ơ" is the letter OCR most often misreads.
  static const std::regex re_recipients(R"(^n[a-z]inhan)");
  for (const layout::Seg& s : pls.back().lines)
    if (std::regex_search(layout::compact(s.folded), re_recipients) && s.folded.find(':') != std::string::npos)
      recipients = true;
  if (addressed) *addressed = kg;
  if (!kg) return {};
  if (vv) return "V/v subject and Kính gửi";
  if (recipients) return "Kính gửi and a Nơi nhận list";
  return {};
}

}  // namespace

Classification classify(const Document& doc, const std::vector<Page>& pages) {
  Classification c;
  std::vector<layout::PageLayout> pls = layout::read(doc, pages);
  std::string all_text;
  for (int idx : doc.pages) {
    if (idx < 0 || idx >= static_cast<int>(pages.size()) || pages[idx].info.blank) continue;
    if (!all_text.empty()) all_text += '\n';
    all_text += pages[idx].ocr.text;
  }

  const std::vector<std::string>& voc = vocabulary();
  std::map<std::string, double> rule;  // type -> rule confidence
  std::vector<std::string> evidence;

  TitleMatch tm = find_title(pls);
  if (!tm.doc_type.empty()) {
    rule[tm.doc_type] = tm.score;
    evidence.push_back("title: " + tm.line);
  }
  std::string shown, hint_kind;
  bool number_without_type = false;
  std::string hint = number_hint(pls, &shown, &hint_kind, &number_without_type);
  if (!hint.empty()) {
    rule[hint] = std::max(rule[hint], tm.doc_type.empty() ? 0.7 : 0.3);
    evidence.push_back("number: " + shown);
  }
  std::string why;
  if (!pls.empty() && card_sized(pls.front(), &why)) {
    std::string f = layout::compact(text::fold(all_text));
    bool id_words = f.find("cancuoc") != std::string::npos || f.find("chungminh") != std::string::npos ||
                    f.find("identity") != std::string::npos || f.find("fullname") != std::string::npos;
    rule["can_cuoc"] = std::max(rule["can_cuoc"], id_words ? 0.9 : 0.6);
    evidence.push_back(why);
  }
  bool addressed = false;
  const std::string cong_van = cong_van_cues(pls, &addressed);
  if (tm.doc_type.empty() && hint.empty() && !cong_van.empty()) {
    // NĐ 30/2020: a công văn's number names its issuer only ("3531/UBND-NV"); with the subject
    // and the addressee that is the whole of its form, which words cited in its body
    // ("Quyết định số …") must not outvote.
    rule["van_ban_hanh_chinh"] = std::max(rule["van_ban_hanh_chinh"], number_without_type ? 0.9 : 0.75);
    evidence.push_back("layout: " + cong_van + ", no title" +
                       (number_without_type ? ", a number without a type abbreviation" : "") + " (công văn)");
  }

  for (auto& [t, v] : rule) evidence.push_back("rule: " + t + " " + fmt("%.2f", v));

  const NbModel& m = model();
  const std::vector<std::string> fs = features(all_text);
  std::vector<double> post = predict(m, fs);
  std::map<std::string, double> mp;
  for (size_t k = 0; k < post.size(); ++k) mp[m.classes[k]] = post[k];
  std::string model_best;
  double model_p = 0, model_familiarity = 1;
  for (auto& [t, p] : mp)
    if (p > model_p) model_p = p, model_best = t;
  // Naive Bayes is sure of anything (p=1.00 on layouts it never saw): how far the text is from
  // the training documents of the class it picked scales its whole vote down to the accuracy it
  // had on unfamiliar pages of another corpus.
  if (!model_best.empty()) {
    const size_t k = std::find(m.classes.begin(), m.classes.end(), model_best) - m.classes.begin();
    const double typ = typicality(m, fs, k);
    const double familiar = familiarity(m, typ, k);
    model_familiarity = familiar;
    if (familiar < 1) {
      const double factor = confidence_factor(m, familiar);
      evidence.push_back("model: " + model_best + " p=" + fmt("%.2f", model_p) + " on a text unlike its training (typicality " +
                         fmt("%.2f", typ) + " below " + fmt("%.2f", m.familiar_floor[k]) + ", familiarity " +
                         fmt("%.2f", familiar) + "): counted x" + fmt("%.2f", factor));
      for (auto& [t, p] : mp) p *= factor;
      model_p *= factor;
    } else {
      evidence.push_back("model: " + model_best + " p=" + fmt("%.2f", model_p));
    }
    // A paper that opens with "Kính gửi" is a letter or a citizen's form; a quyết định or a
    // certificate never is (NĐ 30/2020; the catalogue's "kinh_gui" cue says which types may be).
    // Words cited in a letter's body ("Thực hiện Nghị quyết số ... quyết định") do not make it one.
    if (addressed && !doctypes::catalogue().get(model_best).has_cue("kinh_gui")) {
      evidence.push_back("model: " + model_best + " never opens with Kính gửi: counted x" + fmt("%.2f", kUnaddressedVote));
      mp[model_best] *= kUnaddressedVote;
      model_p *= kUnaddressedVote;
    }
  }

  // How much of the text is words at all: garbage from a page read the wrong way round makes
  // the model sure of anything.
  double quality = 1;
  if (m.ok) {
    size_t known = 0, total = 0;
    std::string cur;
    std::string f = text::fold(all_text) + " ";
    for (char ch : f) {
      if (ch >= 'a' && ch <= 'z') {
        cur.push_back(ch);
        continue;
      }
      if (cur.size() >= 2) {
        ++total;
        known += m.loglik.count("w:" + cur) > 0;
      }
      cur.clear();
    }
    quality = total ? std::min(1.0, (static_cast<double>(known) / total) / 0.7) : 0;
    evidence.push_back("known words " + fmt("%.0f%%", total ? 100.0 * known / total : 0));
  }

  // Combine: the strongest rule and the model vote; a rule alone is trusted up to its score.
  std::map<std::string, double> score;
  double rmax = 0;
  for (auto& [t, v] : rule) rmax = std::max(rmax, v);
  const bool have_model = !mp.empty();
  const double wr = rmax >= kSureRule ? 0.65 : 0.45;  // an inexact title read counts less
  for (const std::string& t : voc) {
    double r = rule.count(t) ? rule[t] : 0;
    double p = have_model ? mp[t] * quality : 0;
    if (rmax > 0 && have_model)
      score[t] = wr * r + (1 - wr) * p;
    else if (rmax > 0)
      score[t] = r;
    else
      score[t] = p;
  }
  std::string best = "khac";
  double bs = -1;
  for (const std::string& t : voc)
    if (score[t] > bs) bs = score[t], best = t;
  double conf = bs;
  if (rmax > 0 && have_model) {
    // Agreement makes it sure; a lone rule keeps its own confidence.
    if (rule.count(best) && model_best == best) conf = std::min(0.99, rule[best] + 0.5 * (1 - rule[best]) * model_p * quality);
    else if (rule.count(best)) conf = rule[best] * (0.75 + 0.25 * (1 - model_p));
    else conf = bs;
  } else if (have_model) {
    // The model alone: never more than 0.9 sure, and a form needs a title to be believed.
    conf = std::min(0.9, bs);
    if (class_of(best) == "single_use") conf = std::min(conf, 0.55);
  }
  c.method = rmax > 0 && have_model ? "rules+model" : rmax > 0 ? "rules" : have_model ? "model" : "none";

  if (bs <= 0) {
    best = "khac";
    conf = 0;
  }
  c.doc_type = best;
  c.confidence = std::round(std::clamp(conf, 0.0, 1.0) * 1000) / 1000;
  if (all_text.find_first_not_of(" \n\f\t") == std::string::npos) {
    c.doc_type = "khac";
    c.confidence = 0;
    c.review = true;
    c.review_reason = "no text was read";
  } else if (c.confidence < kReviewBelow) {
    c.review = true;
    c.review_reason = "low confidence (" + fmt("%.2f", c.confidence) + ")";
    if (class_of(c.doc_type) == "single_use") {
      // Unsure: keep it as the best reusable type, never silently drop a possible certificate.
      std::string alt = "khac";
      double as = -1;
      for (const std::string& t : voc)
        if (class_of(t) == "reusable" && score[t] > as) as = score[t], alt = t;
      c.review_reason += "; looked like " + c.doc_type + ", kept as reusable " + alt;
      c.doc_type = alt;
    }
  }
  c.cls = class_of(c.doc_type);
  for (auto& [t, v] : rule)
    if (v > c.rule_score) c.rule_score = v, c.rule_type = t;
  c.model_type = model_best;
  c.model_p = model_p;
  c.model_familiarity = model_familiarity;
  c.known_words = quality;
  // Which kind of văn bản hành chính (Thông báo, Công văn, Nghị định …): the title names it, else
  // the number's abbreviation, else the công văn layout.
  if (c.doc_type == "van_ban_hanh_chinh") {
    if (tm.doc_type == c.doc_type && !tm.kind.empty()) c.kind = tm.kind;
    else if (hint == c.doc_type && !hint_kind.empty()) c.kind = hint_kind;
    else if (!cong_van.empty()) c.kind = "cong_van";
  }
  const doctypes::Type& type = doctypes::catalogue().get(c.doc_type);
  if (!type.review_always.empty() && !c.review) {
    c.review = true;
    c.review_reason = type.review_always;
  }
  c.evidence = std::move(evidence);
  if (!m.ok) c.evidence.push_back("model not loaded");
  return c;
}

}  // namespace sohoa::classify

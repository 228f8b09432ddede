#include "verify/json_schema.h"

#include <fstream>
#include <regex>

#include "core/error.h"

namespace sohoa::verify {
using json = nlohmann::json;
namespace {

bool has_type(const json& v, const std::string& t) {
  if (t == "null") return v.is_null();
  if (t == "boolean") return v.is_boolean();
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<long long>(v.get<double>()));
  return false;
}

void check(const json& s, const json& v, const std::string& at, std::vector<std::string>& errs) {
  const std::string where = at.empty() ? "/" : at;
  if (s.contains("type")) {
    bool ok = false;
    if (s["type"].is_string()) ok = has_type(v, s["type"]);
    else for (const auto& t : s["type"]) ok = ok || has_type(v, t);
    if (!ok) { errs.push_back(where + ": should be of type " + s["type"].dump() + ", is " + v.dump().substr(0, 60)); return; }
  }
  if (s.contains("enum")) {
    bool ok = false;
    for (const auto& e : s["enum"]) ok = ok || e == v;
    if (!ok) errs.push_back(where + ": " + v.dump().substr(0, 60) + " is not one of " + s["enum"].dump().substr(0, 200));
  }
  if (v.is_object()) {
    for (const auto& r : s.value("required", json::array()))
      if (!v.contains(r.get<std::string>())) errs.push_back(where + ": required property \"" + r.get<std::string>() + "\" missing");
    if (s.contains("properties"))
      for (const auto& [k, sub] : s["properties"].items())
        if (v.contains(k)) check(sub, v[k], at + "/" + k, errs);
  }
  if (v.is_array()) {
    if (s.contains("minItems") && v.size() < s["minItems"].get<size_t>()) errs.push_back(where + ": fewer than " + s["minItems"].dump() + " items");
    if (s.contains("maxItems") && v.size() > s["maxItems"].get<size_t>()) errs.push_back(where + ": more than " + s["maxItems"].dump() + " items");
    if (s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i) check(s["items"], v[i], at + "/" + std::to_string(i), errs);
  }
  if (v.is_string()) {
    const std::string str = v.get<std::string>();
    if (s.contains("minLength") && str.size() < s["minLength"].get<size_t>()) errs.push_back(where + ": too short");
    if (s.contains("pattern") && !std::regex_search(str, std::regex(s["pattern"].get<std::string>())))
      errs.push_back(where + ": \"" + str.substr(0, 60) + "\" does not match " + s["pattern"].get<std::string>());
  }
  if (v.is_number()) {
    const double d = v.get<double>();
    if (s.contains("minimum") && d < s["minimum"].get<double>()) errs.push_back(where + ": " + v.dump() + " is under " + s["minimum"].dump());
    if (s.contains("maximum") && d > s["maximum"].get<double>()) errs.push_back(where + ": " + v.dump() + " is over " + s["maximum"].dump());
  }
}

}  // namespace

std::vector<std::string> validate(const json& schema, const json& value) {
  std::vector<std::string> errs;
  check(schema, value, "", errs);
  return errs;
}

const json& record_schema() {
  static const json schema = [] {
    std::ifstream f(SOHOA_RECORD_SCHEMA);
    if (!f) throw Error(ErrorCode::internal, std::string("the record schema is missing: ") + SOHOA_RECORD_SCHEMA);
    return json::parse(f);
  }();
  return schema;
}

}  // namespace sohoa::verify

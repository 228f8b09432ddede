#include "classify/model.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/models_dir.h"
#include "core/text.h"

namespace sohoa::classify {

namespace {

constexpr int kHeadLines = 15;
constexpr int kBodyTokens = 600;
const char* kModelFile = "doctype_nb.txt";

std::vector<std::string> tokens(const std::string& folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : folded) {
    if (c >= 'a' && c <= 'z') {
      cur.push_back(c);
    } else {
      if (cur.size() >= 2) out.push_back(cur);
      cur.clear();
    }
  }
  if (cur.size() >= 2) out.push_back(cur);
  return out;
}

}  // namespace

std::vector<std::string> features(std::string_view text) {
  std::vector<std::string> head;
  size_t start = 0;
  while (start <= text.size() && static_cast<int>(head.size()) < kHeadLines) {
    size_t e = text.find_first_of("\n\f", start);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(start, e - start);
    if (!tokens(text::fold(line)).empty()) head.emplace_back(line);
    start = e + 1;
  }
  std::set<std::string> f;
  std::string comp;
  for (const std::string& l : head) {
    std::vector<std::string> t = tokens(text::fold(l));
    for (size_t i = 0; i < t.size(); ++i) {
      f.insert("h:" + t[i]);
      if (i + 1 < t.size()) f.insert("b:" + t[i] + "_" + t[i + 1]);
      comp += t[i];
    }
  }
  for (size_t i = 0; i + 4 <= comp.size(); ++i) f.insert("c:" + comp.substr(i, 4));
  std::vector<std::string> all = tokens(text::fold(text));
  for (size_t i = 0; i < all.size() && static_cast<int>(i) < kBodyTokens; ++i) f.insert("w:" + all[i]);
  return {f.begin(), f.end()};
}

NbModel load_model(const std::string& path) {
  NbModel m;
  std::ifstream in(path);
  if (!in) return m;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string tag;
    ss >> tag;
    if (tag == "classes") {
      std::string c;
      while (ss >> c) m.classes.push_back(c);
    } else if (tag == "prior") {
      double v;
      while (ss >> v) m.prior.push_back(v);
    } else if (tag == "temperature") {
      ss >> m.temperature;
    } else if (tag == "familiar_floor" || tag == "familiar_spread") {
      std::vector<double>& v = tag == "familiar_floor" ? m.familiar_floor : m.familiar_spread;
      double x;
      while (ss >> x) v.push_back(x);
    } else if (tag == "familiar_accuracy") {
      ss >> m.familiar_accuracy;
    } else if (tag == "f") {
      std::string name;
      ss >> name;
      std::vector<float> v;
      float x;
      while (ss >> x) v.push_back(x);
      if (v.size() == m.classes.size()) m.loglik.emplace(std::move(name), std::move(v));
    }
  }
  m.ok = !m.classes.empty() && m.prior.size() == m.classes.size() && !m.loglik.empty();
  if (m.familiar_floor.size() != m.classes.size() || m.familiar_spread.size() != m.classes.size())
    m.familiar_floor.clear(), m.familiar_spread.clear();
  m.path = path;
  return m;
}

const NbModel& model() {
  static const NbModel m = [] {
    for (const std::string& d : models::dirs()) {
      NbModel mm = load_model(d + "/" + kModelFile);
      if (mm.ok) return mm;
    }
    return NbModel{};
  }();
  return m;
}

std::vector<double> predict(const NbModel& m, const std::vector<std::string>& fs) {
  if (!m.ok) return {};
  std::vector<double> s(m.prior);
  for (const std::string& f : fs) {
    auto it = m.loglik.find(f);
    if (it == m.loglik.end()) continue;
    for (size_t k = 0; k < s.size(); ++k) s[k] += it->second[k];
  }
  double mx = *std::max_element(s.begin(), s.end());
  double z = 0;
  for (double& v : s) {
    v = std::exp((v - mx) / std::max(1e-6, m.temperature));
    z += v;
  }
  for (double& v : s) v /= z;
  return s;
}

double typicality(const NbModel& m, const std::vector<std::string>& fs, size_t k) {
  if (!m.ok || k >= m.classes.size()) return -INFINITY;
  double sum = 0;
  size_t n = 0;
  for (const std::string& f : fs) {
    auto it = m.loglik.find(f);
    if (it == m.loglik.end()) continue;
    sum += it->second[k];
    ++n;
  }
  return n ? sum / n : -INFINITY;
}

double familiarity(const NbModel& m, double t, size_t k) {
  if (k >= m.familiar_floor.size()) return 1;
  const double below = m.familiar_floor[k] - t;
  if (below <= 0) return 1;
  return std::exp(-below / std::max(1e-3, m.familiar_spread[k]));
}

double confidence_factor(const NbModel& m, double familiarity) {
  const double a = std::clamp(m.familiar_accuracy, 0.0, 1.0);
  return a + (1 - a) * familiarity;
}

}  // namespace sohoa::classify

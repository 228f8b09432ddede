// The trained doc_type model (multinomial naive Bayes over folded words, word bigrams and
// character 4-grams of the first lines), read from models/doctype_nb.txt. models/train.py writes
// it; features() here must stay identical to features() there.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sohoa::classify {

struct NbModel {
  bool ok = false;
  std::string path;
  std::vector<std::string> classes;
  std::vector<double> prior;  // log
  double temperature = 1;
  std::unordered_map<std::string, std::vector<float>> loglik;  // feature -> log P(f|class)
};

/// The model file, loaded once: $SOHOA_MODELS, <exe dir>/../models, <exe dir>/models, then the
/// source tree's models/. ok == false when none is readable (the rules then work alone).
const NbModel& model();
NbModel load_model(const std::string& path);

/// Features of a document's text (pages joined by '\n').
std::vector<std::string> features(std::string_view text);
/// Posterior over model.classes (sums to 1); empty when the model is not loaded.
std::vector<double> predict(const NbModel& m, std::string_view text);

}  // namespace sohoa::classify

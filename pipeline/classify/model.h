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
  // How typical documents of each class from the training generator are (typicality() of the
  // OCR text of documents it never trained on): a page below its class's floor is unlike what the
  // model learned from (familiarity exp(-(floor - typicality) / spread)), and an unfamiliar page
  // is right only as often as the model was on another corpus's unfamiliar pages
  // (familiar_accuracy). Empty when the model file has none.
  std::vector<double> familiar_floor, familiar_spread;
  double familiar_accuracy = 1;
};

/// The model file, loaded once: $SOHOA_MODELS, <exe dir>/../models, <exe dir>/models, then the
/// source tree's models/. ok == false when none is readable (the rules then work alone).
const NbModel& model();
NbModel load_model(const std::string& path);

/// Features of a document's text (pages joined by '\n').
std::vector<std::string> features(std::string_view text);
/// Posterior over model.classes (sums to 1) of a text's features(); empty when the model is not loaded.
std::vector<double> predict(const NbModel& m, const std::vector<std::string>& features);
/// Mean log P(f | class k) over the features the model knows: how much the text looks like the
/// class's training documents (higher is more typical); -inf when it has no known feature.
double typicality(const NbModel& m, const std::vector<std::string>& features, size_t k);
/// 1 for a text as typical of class k as its training documents, falling towards 0 the further it
/// is below them; 1 when the model file carries no floors.
double familiarity(const NbModel& m, double typicality, size_t k);
/// What the posterior of a text of that familiarity is multiplied by: from familiar_accuracy (an
/// unfamiliar text) to 1 (a familiar one).
double confidence_factor(const NbModel& m, double familiarity);

}  // namespace sohoa::classify

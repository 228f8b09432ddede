// The batch: the only place that knows the order of the stages.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "ingest/pdf_signatures.h"
#include "ocr/engine.h"

namespace sohoa::batch {

struct Config {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path out;
  int jobs = 2;
  ingest::Limits limits;
  std::string default_dossier;  // --dossier: the dossier of inputs outside any dossier folder
  bool progress = true;
  FILE* progress_stream = stdout;
  /// Measuring aid (bench/): when set, every image handed to full-page recognition is also
  /// written here as PNG at the resolution Tesseract is told, listed in index.jsonl.
  std::filesystem::path dump_ocr_images;
  /// --trust DIR: certificates and CRLs that incoming signatures are judged against (may be null).
  std::shared_ptr<const ingest::TrustAnchors> trust;
  /// Debugging aid: every recognised page drawn with its regions numbered in reading order, as
  /// PNG named i<input>-p<page>.png (inputs in discovery order).
  std::filesystem::path debug_layout;
  /// Sharded run (sohoa run --plan): only these inputs are discovered and read.
  ingest::InputFilter only;
  /// Sharded run: the first input of each content (by sha256) over the whole plan, so that
  /// duplicate_of links across shards exactly as one run over everything would.
  std::map<std::string, SourceRef> first_of_content;
  /// What discovery never enters; empty = out (a shard's out lies inside the plan's OUT).
  std::filesystem::path exclude;
};

using EngineFactory = std::function<std::unique_ptr<ocr::Engine>()>;

struct Summary {
  int inputs = 0;  // inputs read (archive members count one each)
  int pages = 0;
  int records = 0;          // of every input read, this run's and resumed ones
  int records_resumed = 0;  // of inputs an earlier run finished
  std::vector<ingest::InputError> errors;
  std::vector<std::string> outside_dossiers;  // inputs with records but no dossier, hence no package
  std::vector<std::pair<std::string, std::string>> copies;  // input, the input of identical bytes read first
  std::vector<std::string> skipped_outputs;  // earlier sohoa output folders under the inputs, not read
  std::filesystem::path batch_json;
};

/// Runs the whole batch; an input that fails becomes an error entry, never a stop.
/// Throws sohoa::Error only for what stops every input (OUT unwritable, no OCR model).
Summary run(const Config& config, const EngineFactory& make_engine);

/// What batch.json says of a run: one shape for a run and for the merge of its shards.
struct BatchTotals {
  int inputs = 0, pages = 0, records = 0, pages_processed = 0, inputs_resumed = 0, records_resumed = 0;
};
nlohmann::ordered_json batch_json(const BatchTotals& totals, nlohmann::ordered_json timings, nlohmann::ordered_json cpu,
                                  nlohmann::ordered_json errors, nlohmann::ordered_json items);

}  // namespace sohoa::batch

// The sohoa command: arguments in, a batch config to the core, an exit code out.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "batch/batch.h"
#include "core/error.h"
#include "catalog/catalog.h"
#include "package/package.h"
#include "report/report.h"
#include "verify/verify.h"

namespace {

enum Exit { kOk = 0, kFatal = 1, kUsage = 2, kSomeInputsUnread = 3, kBusy = 4, kVerifyFailed = 5, kNoMatch = 6 };

constexpr const char* kExitHelp =
    "Exit status: 0 every input was read; 3 the batch finished but some inputs could not be read\n"
    "(listed in OUT/batch.json \"errors\" and on stderr); 2 wrong usage; 1 nothing could be done\n"
    "(output folder not writable, OCR model missing); 4 another sohoa run is writing to the same OUT;\n"
    "5 (verify) something is wrong, each problem printed as \"PATH: what\"; 6 (search) no record matched.";

/// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when it loads, before main();
/// left alone it spins threads that fight our own workers. Set it and start again.
void ensure_single_threaded_openmp(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT")) return;
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on, only slower.
}

/// After the batch: one archive package per dossier, the catalog, the report.
void archive_outputs(const sohoa::batch::Config& config, const std::string& dossier) {
  const auto dossiers = sohoa::package::dossiers_of(config.out, dossier);
  // The report reads only the records: it is made on a second core while the packages are
  // zipped, instead of after them (the batch's workers are done by now).
  auto report = std::async(std::launch::async, [&] { sohoa::report::write_report(config.out, dossiers); });
  sohoa::package::Options po;
  po.default_dossier = dossier;
  const auto packages = sohoa::package::write_packages(config.out, po);
  std::printf("sohoa: %zu packages written to %s\n", packages.size(), (config.out / "packages").c_str());
  const int catalogued = sohoa::catalog::update(config.out, dossiers);
  std::printf("sohoa: %d records in %s\n", catalogued, (config.out / "catalog.sqlite").c_str());
  report.get();
  std::printf("sohoa: report in %s\n", (config.out / "report.html").c_str());
}

std::string json_str(const std::string& s) { return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

int search_command(const std::string& where, const sohoa::catalog::Query& q, bool as_json) {
  try {
    const auto hits = sohoa::catalog::search(where, q);
    if (as_json) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& h : hits)
        arr.push_back({{"record", h.record_id}, {"name", h.name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.name)},
                       {"dossier", h.dossier.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.dossier)},
                       {"package", h.package.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.package)},
                       {"doc_type", h.doc_type}, {"class", h.cls}, {"confidence", h.confidence}, {"review", h.review},
                       {"source", h.source}, {"pages", {h.first_page, h.last_page}},
                       {"metadata", nlohmann::ordered_json::parse(h.metadata_json)}, {"snippet", h.snippet}});
      std::printf("%s\n", arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    } else {
      for (const auto& h : hits) {
        std::printf("%s  %s  %s  (%s, confidence %.2f%s)\n  package %s, source %s pages %d-%d\n", h.name.empty() ? "-" : h.name.c_str(),
                    h.record_id.c_str(), h.doc_type.c_str(), h.cls.c_str(), h.confidence, h.review ? ", needs review" : "",
                    h.package.empty() ? "-" : h.package.c_str(), h.source.c_str(), h.first_page, h.last_page);
        const auto md = nlohmann::json::parse(h.metadata_json);
        std::string line;
        for (const auto& [k, v] : md.items())
          if (v.is_string()) line += "  " + k + ": " + v.get<std::string>() + "\n";
        std::printf("%s", line.c_str());
        if (!h.snippet.empty()) std::printf("  … %s\n", h.snippet.c_str());
      }
      std::printf("%zu record(s)\n", hits.size());
    }
    return hits.empty() ? kNoMatch : kOk;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int verify_command(const std::string& target) {
  try {
    const std::filesystem::path p(target);
    const auto rep = std::filesystem::is_directory(p) ? sohoa::verify::verify_out(p) : sohoa::verify::verify_package(p);
    for (const auto& pr : rep.problems) std::printf("%s: %s\n", pr.where.c_str(), pr.what.c_str());
    std::printf("sohoa verify: %d package(s), %d record(s), %d file(s) checked; %zu problem(s)%s\n", rep.packages, rep.records,
                rep.files, rep.problems.size(), rep.ok() ? ", all good" : "");
    return rep.ok() ? kOk : kVerifyFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int run_command(const sohoa::batch::Config& config, const std::string& dossier) {
  try {
    sohoa::ocr::EngineConfig ec;
    ec.lang = "vie";
    auto summary = sohoa::batch::run(config, [ec] { return sohoa::ocr::make_tesseract_engine(ec); });
    for (const auto& e : summary.errors)
      std::fprintf(stderr, "sohoa: %s%s%s: %s\n", e.path.c_str(), e.member ? "!" : "",
                   e.member ? e.member->c_str() : "", e.reason.c_str());
    std::printf("sohoa: %d inputs, %d pages, %d records written to %s; %zu could not be read\n", summary.inputs,
                summary.pages, summary.records, (config.out / "records").c_str(), summary.errors.size());
    archive_outputs(config, dossier);
    return summary.errors.empty() ? kOk : kSomeInputsUnread;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return e.code() == sohoa::ErrorCode::busy ? kBusy : kFatal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa: internal error: %s\n", e.what());
    return kFatal;
  }
}

}  // namespace

int main(int argc, char** argv) {
  ensure_single_threaded_openmp(argv);

  CLI::App app{
      "sohoa - digitise scanned paperwork of Vietnamese one-stop offices.\n"
      "Reads PDF, TIFF, JPEG, PNG and zip/tar archives of them, corrects orientation and skew,\n"
      "recognises the Vietnamese text and writes, for every document, a searchable PDF, its text\n"
      "and a record.json."};
  app.set_version_flag("--version", std::string("sohoa ") + SOHOA_VERSION);
  app.require_subcommand(1);
  app.footer(kExitHelp);

  sohoa::batch::Config config;
  std::vector<std::string> inputs;
  std::string out;
  std::string lang = "vie";
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  config.jobs = static_cast<int>(cores);
  bool quiet = false;

  CLI::App* run = app.add_subcommand("run", "OCR a folder of scans into OUT/records/<id>/{document.pdf,text.txt,record.json}");
  run->add_option("INPUT", inputs, "Folders or files to read (one sub-folder per dossier, recursively)")
      ->required()
      ->check(CLI::ExistingPath);
  run->add_option("-o,--out", out, "Output folder; created if missing; reruns replace records in place")->required();
  run->add_option("-j,--jobs", config.jobs, "Pages recognised at once (default: number of cores)")
      ->check(CLI::Range(1, 256));
  run->add_option("--lang", lang, "Tesseract language model")->check(CLI::IsMember({"vie"}))->capture_default_str();
  run->add_option("--max-pages", config.limits.max_pages, "Refuse inputs with more pages than this")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  run->add_flag("-q,--quiet", quiet, "No progress output");
  std::string dossier;
  run->add_option("--dossier", dossier,
                  "Mã hồ sơ for inputs that are not inside a dossier sub-folder (default: they get no package)")
      ->check([](const std::string& v) {
        return v.empty() || v.find_first_of("/\\") != std::string::npos || v[0] == '.' ? "not a dossier code: " + v
                                                                                     : std::string();
      });
  std::string dump_ocr_images;
  run->add_option("--dump-ocr-images", dump_ocr_images,
                  "Measuring aid: also write each image given to recognition (PNG, at the DPI Tesseract is told)")
      ->group("");  // hidden: for bench/, not for users
  std::string debug_layout;
  run->add_option("--debug-layout", debug_layout,
                  "Write each recognised page to this folder as a PNG with its regions drawn and numbered in reading order");
  run->footer(
      "Example:\n  sohoa run scans/ -o out/\n\n"
      "Writes OUT/batch.json with counts, per-stage timings and every input that could not be read.\n" +
      std::string(kExitHelp));

  std::string search_out, search_text, search_type, verify_target;
  bool search_reusable = false, search_json = false;
  CLI::App* search = app.add_subcommand("search", "Find records in OUT/catalog.sqlite; accents and case do not matter");
  search->add_option("OUT", search_out, "Output folder (or its catalog.sqlite)")->required()->check(CLI::ExistingPath);
  search->add_option("QUERY", search_text, "Words that must all occur (\"nguyen van an\" finds \"Nguyễn Văn An\"); may be empty");
  search->add_option("--type", search_type, "Only this doc_type, e.g. giay_khai_sinh");
  search->add_flag("--reusable", search_reusable, "Only reusable documents");
  search->add_flag("--json", search_json, "A JSON array for scripts");
  CLI::App* verify = app.add_subcommand("verify", "Check a package zip or a whole output folder, byte for byte");
  verify->add_option("TARGET", verify_target, "OUT/packages/<mã hồ sơ>.zip or OUT")->required()->check(CLI::ExistingPath);
  verify->footer("Exit status: 0 all good; 5 problems found (each printed as \"PATH: what\"); 1 cannot be read; 2 wrong usage.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }

  if (search->parsed()) {
    sohoa::catalog::Query q;
    q.text = search_text;
    if (!search_type.empty()) q.doc_type = search_type;
    q.reusable_only = search_reusable;
    return search_command(search_out, q, search_json);
  }
  if (verify->parsed()) return verify_command(verify_target);

  for (const auto& in : inputs) config.inputs.emplace_back(in);
  config.out = out;
  config.progress = !quiet;
  config.dump_ocr_images = dump_ocr_images;
  config.debug_layout = debug_layout;
  return run_command(config, dossier);
}

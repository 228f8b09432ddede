// The sohoa command: arguments in, a batch config to the core, an exit code out.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "batch/batch.h"
#include "core/error.h"
#include "package/package.h"

namespace {

enum Exit { kOk = 0, kFatal = 1, kUsage = 2, kSomeInputsUnread = 3, kBusy = 4 };

constexpr const char* kExitHelp =
    "Exit status: 0 every input was read; 3 the batch finished but some inputs could not be read\n"
    "(listed in OUT/batch.json \"errors\" and on stderr); 2 wrong usage; 1 nothing could be done\n"
    "(output folder not writable, OCR model missing); 4 another sohoa run is writing to the same OUT.";

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
  sohoa::package::Options po;
  po.default_dossier = dossier;
  const auto packages = sohoa::package::write_packages(config.out, po);
  std::printf("sohoa: %zu packages written to %s\n", packages.size(), (config.out / "packages").c_str());
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
  run->footer(
      "Example:\n  sohoa run scans/ -o out/\n\n"
      "Writes OUT/batch.json with counts, per-stage timings and every input that could not be read.\n" +
      std::string(kExitHelp));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }

  for (const auto& in : inputs) config.inputs.emplace_back(in);
  config.out = out;
  config.progress = !quiet;
  return run_command(config, dossier);
}

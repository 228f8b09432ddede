// The sohoa command: arguments in, a batch config to the core, an exit code out.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/archive.h"
#include "batch/batch.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "catalog/catalog.h"
#include "desk/server.h"
#include "package/package.h"
#include "report/report.h"
#include "shard/shard.h"
#include "sign/sign.h"
#include "verify/verify.h"

namespace {

enum Exit { kOk = 0, kFatal = 1, kUsage = 2, kSomeInputsUnread = 3, kBusy = 4, kVerifyFailed = 5, kNoMatch = 6, kIncomplete = 7 };

constexpr const char* kExitHelp =
    "Exit status: 0 every input was read; 3 the batch finished but some inputs could not be read\n"
    "(listed in OUT/batch.json \"errors\" and on stderr); 2 wrong usage; 1 nothing could be done\n"
    "(output folder not writable, OCR model missing) or the output failed its own check (a full disk,\n"
    "a file removed while it ran: each problem on stderr); 4 another sohoa run is writing to the same OUT;\n"
    "5 (verify) something is wrong, each problem printed as \"PATH: what\"; 6 (search, lookup) no record matched;\n"
    "7 (merge) a shard is missing, failed or unfinished: each one named on stderr, nothing merged.";

/// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when it loads, before main();
/// left alone it spins threads that fight our own workers. Set it and start again.
void ensure_single_threaded_openmp(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT")) return;
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on, only slower.
}

/// After the batch: one archive package per dossier, the catalog, the report.
/// `other_outs`: folders whose report thumbnails may be reused (a merge's shards).
void archive_outputs(const sohoa::batch::Config& config, const std::string& dossier,
                     const std::vector<std::filesystem::path>& other_outs = {}) {
  const auto dossiers = sohoa::package::dossiers_of(config.out, dossier);
  // The report reads only the records: it is made on a second core while the packages are
  // zipped, instead of after them (the batch's workers are done by now).
  auto report = std::async(std::launch::async, [&] { sohoa::report::write_report(config.out, dossiers, other_outs); });
  sohoa::package::Options po;
  po.default_dossier = dossier;
  const auto packages = sohoa::package::write_packages(config.out, po);
  size_t made = 0;
  for (const auto& p : packages) made += p.made ? 1 : 0;
  std::printf("sohoa: %zu packages written to %s (%zu made, %zu unchanged)\n", packages.size(), (config.out / "packages").c_str(),
              made, packages.size() - made);
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

int verify_command(const std::string& target, const sohoa::verify::Options& options) {
  try {
    const std::filesystem::path p(target);
    sohoa::verify::Options o = options;
    // A shard's folder: its records may be duplicate_of records of other shards (see the merge).
    if (std::filesystem::is_directory(p)) o.elsewhere = sohoa::shard::elsewhere_of_shard_folder(p);
    const auto rep = std::filesystem::is_directory(p) ? sohoa::verify::verify_out(p, o) : sohoa::verify::verify_package(p, o);
    for (const auto& pr : rep.problems) std::printf("%s: %s\n", pr.where.c_str(), pr.what.c_str());
    std::printf("sohoa verify: %d package(s), %d record(s), %d file(s) checked; %zu problem(s)%s\n", rep.packages, rep.records,
                rep.files, rep.problems.size(), rep.ok() ? ", all good" : "");
    if (rep.signatures > 0 || !options.trust_dir.empty())
      std::printf("sohoa verify: %d signature(s) checked%s\n", rep.signatures,
                  options.trust_dir.empty() ? " (integrity only: give --trust DIR to check who signed)" : "");
    return rep.ok() ? kOk : kVerifyFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

/// Signs document.pdf of the batch's records; false when some could not be signed.
bool sign_outputs(const std::filesystem::path& out, const sohoa::sign::Signer& signer) {
  sohoa::sign::SignSummary s;
  try {
    // The signing time is a claim made in the office's name: the clock, never SOURCE_DATE_EPOCH.
    s = sohoa::sign::sign_records(out, sohoa::sign::records_of_batch(out), signer, std::time(nullptr));
  } catch (const sohoa::Error& e) {
    if (e.code() == sohoa::ErrorCode::busy) throw;  // another run writes OUT: touch nothing more
    std::fprintf(stderr, "sohoa: cannot sign: %s\n", e.what());
    return false;
  }
  for (const auto& f : s.failed) std::fprintf(stderr, "sohoa: %s\n", f.c_str());
  std::printf("sohoa: %d documents signed as \"%s\" (%s, serial %s) in %.0f ms, %.1f ms each; %d already signed; %zu failed\n",
              s.signed_now, signer.field_name().c_str(), signer.signer().subject.c_str(), signer.signer().serial.c_str(),
              s.ms_total, s.signed_now ? s.ms_total / s.signed_now : 0.0, s.already_signed, s.failed.size());
  return s.failed.empty();
}

/// The office's key, opened and checked before anything is written (nullptr without --sign).
std::unique_ptr<sohoa::sign::Signer> open_signer(const sohoa::sign::KeySpec& spec) {
  if (spec.key.empty()) return nullptr;
  return sohoa::sign::Signer::open(spec, std::time(nullptr));
}

/// --archive, else $SOHOA_ARCHIVE, else the user's own SQLite file.
std::string archive_url(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* e = std::getenv("SOHOA_ARCHIVE"); e && *e) return e;
  std::filesystem::path dir;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) dir = std::filesystem::path(x) / "sohoa";
  else if (const char* h = std::getenv("HOME"); h && *h) dir = std::filesystem::path(h) / ".local/share/sohoa";
  else dir = ".";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return (dir / "archive.sqlite").string();
}

void print_added(const sohoa::archive::AddSummary& s, const std::string& backend) {
  std::printf("sohoa: archive (%s): %d package(s) added, %d already there; %d record(s) added (%d linked as duplicate_of an "
              "earlier one), %d already archived, %d earlier record(s) superseded; %d single-use record(s) stay in their "
              "package%s\n",
              backend.c_str(), s.packages_added, s.packages_known, s.records_added, s.duplicates, s.already, s.superseded,
              s.single_use,
              s.without_package ? (", " + std::to_string(s.without_package) + " reusable record(s) outside any dossier have no package to archive").c_str() : "");
}

int archive_command(const std::string& sub, const std::string& url, const std::string& target, const std::string& who,
                    const std::string& role) {
  try {
    auto a = sohoa::archive::Archive::open(archive_url(url));
    if (sub == "init") {
      if (!role.empty()) a->grant(role);
      std::printf("sohoa: archive (%s) at schema version %d%s\n", a->backend().c_str(), a->schema_version(),
                  role.empty() ? "" : ("; role " + role + " may read and insert").c_str());
      return kOk;
    }
    const auto s = a->add(target, who);
    print_added(s, a->backend());
    return kOk;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

nlohmann::ordered_json doc_json(const sohoa::archive::Document& d) {
  auto s = [](const std::string& v) { return v.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v); };
  return {{"uid", d.uid}, {"doc_type", d.doc_type}, {"type_name", d.type_name}, {"so_ky_hieu", s(d.so_ky_hieu)},
          {"ngay_ban_hanh", s(d.ngay_ban_hanh)}, {"co_quan_ban_hanh", s(d.co_quan_ban_hanh)}, {"ngay_het_han", s(d.ngay_het_han)},
          {"ho_ten", s(d.ho_ten)}, {"so_dinh_danh", s(d.so_dinh_danh)}, {"ngay_sinh", s(d.ngay_sinh)},
          {"package", d.package}, {"package_sha256", d.package_sha256}, {"dossier", d.dossier}, {"record", d.record_id},
          {"record_name", s(d.record_name)}, {"record_sha256", d.record_sha256}, {"duplicate_of", s(d.duplicate_of)},
          {"duplicate_reason", s(d.duplicate_reason)}, {"superseded_by", s(d.superseded_by)}, {"validity", d.validity},
          {"valid_until", s(d.valid_until)}, {"rule", s(d.rule)}, {"snippet", s(d.snippet)},
          {"person", d.person_field.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json{{"role", d.role}, {"role_name", d.role_name}, {"field", d.person_field},
                                                                     {"ho_ten", s(d.person_ho_ten)}, {"so_dinh_danh", s(d.person_so_dinh_danh)},
                                                                     {"ngay_sinh", s(d.person_ngay_sinh)}}}};
}

int print_docs(const std::vector<sohoa::archive::Document>& docs, bool as_json) {
  if (as_json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& d : docs) arr.push_back(doc_json(d));
    std::printf("%s\n", arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
  } else {
    for (const auto& d : docs) {
      std::string state = d.validity;
      if (!d.valid_until.empty()) state += (d.validity == "expired" ? " since " : " until ") + d.valid_until;
      if (!d.superseded_by.empty()) state += " by " + d.superseded_by;
      if (d.rule.empty() && d.validity == "valid") state += " (no expiry in the type catalogue)";
      // A card has no số ký hiệu: its number is the holder's số định danh.
      const std::string number = !d.so_ky_hieu.empty() ? "số " + d.so_ky_hieu
                                 : !d.so_dinh_danh.empty() ? "số định danh " + d.so_dinh_danh : "số -";
      std::printf("%s  %s  %s  ngày %s  %s\n  %s  %s\n  package %s (%s, sha256 %s), record %s (sha256 %s)%s\n",
                  d.type_name.c_str(), d.ho_ten.empty() ? "-" : d.ho_ten.c_str(), number.c_str(),
                  d.ngay_ban_hanh.empty() ? "-" : d.ngay_ban_hanh.c_str(), d.co_quan_ban_hanh.empty() ? "-" : d.co_quan_ban_hanh.c_str(),
                  state.c_str(), d.rule.c_str(), d.package.c_str(), d.dossier.c_str(), d.package_sha256.c_str(),
                  d.record_name.empty() ? d.record_id.c_str() : d.record_name.c_str(), d.record_sha256.c_str(),
                  d.duplicate_of.empty() ? "" : ("\n  duplicate_of " + d.duplicate_of + " (same " + d.duplicate_reason + ")").c_str());
      // Found as someone other than the record's holder: say who (the wife on a marriage certificate).
      if (!d.person_field.empty() && d.person_field != "ho_ten")
        std::printf("  as %s: %s%s%s\n", d.role_name.c_str(), d.person_ho_ten.empty() ? "-" : d.person_ho_ten.c_str(),
                    d.person_so_dinh_danh.empty() ? "" : (", số định danh " + d.person_so_dinh_danh).c_str(),
                    d.person_ngay_sinh.empty() ? "" : (", sinh " + d.person_ngay_sinh).c_str());
      if (!d.snippet.empty()) std::printf("  … %s\n", d.snippet.c_str());
    }
    std::printf("%zu document(s)\n", docs.size());
  }
  return docs.empty() ? kNoMatch : kOk;
}

int lookup_command(const std::string& url, const sohoa::archive::PersonQuery& q, bool as_json) {
  try {
    auto a = sohoa::archive::Archive::open(archive_url(url));
    bool more = false;
    const auto docs = a->lookup(q, &more);
    const int rc = print_docs(docs, as_json);
    // The first page only: say so (on stderr with --json, so the array stays what it was).
    if (more)
      std::fprintf(as_json ? stderr : stdout, "sohoa: the first %zu shown; more match (--born narrows a name, --limit N shows more)\n",
                   docs.size());
    return rc;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int archive_search_command(const std::string& url, const sohoa::archive::SearchQuery& q, bool as_json) {
  try {
    auto a = sohoa::archive::Archive::open(archive_url(url));
    return print_docs(a->search(q), as_json);
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int run_command(const sohoa::batch::Config& config, const std::string& dossier, const sohoa::sign::KeySpec& key,
                const std::string& archive, const std::function<bool(const std::string&)>& elsewhere = {}) {
  // The archive is opened before anything is read: a bad URL stops the run with nothing written.
  std::unique_ptr<sohoa::archive::Archive> arch;
  if (!archive.empty()) {
    try {
      arch = sohoa::archive::Archive::open(archive);
    } catch (const sohoa::Error& e) {
      std::fprintf(stderr, "sohoa: %s\n", e.what());
      return kFatal;
    }
  }
  std::unique_ptr<sohoa::sign::Signer> signer;
  try {
    signer = open_signer(key);
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: cannot sign: %s\n", e.what());
    return kFatal;
  }
  try {
    sohoa::ocr::EngineConfig ec;
    ec.lang = "vie";
    auto summary = sohoa::batch::run(config, [ec] { return sohoa::ocr::make_tesseract_engine(ec); });
    for (const auto& e : summary.errors)
      std::fprintf(stderr, "sohoa: %s%s%s: %s\n", e.path.c_str(), e.member ? "!" : "",
                   e.member ? e.member->c_str() : "", e.reason.c_str());
    // Signed before packaging, so that the packages carry the signed PDFs and their events.
    const bool all_signed = !signer || sign_outputs(config.out, *signer);
    archive_outputs(config, dossier);
    if (arch) print_added(arch->add(config.out, ""), arch->backend());
    // The batch checks itself before it reports: what it claims must be on disk and agree.
    const auto check = sohoa::verify::check_batch(config.out, false, elsewhere);
    const int others = std::max(0, check.records_on_disk - summary.records);
    std::printf("sohoa: %d inputs, %d pages; %s holds %d records (%d written now, %d kept from an earlier run%s); "
                "%zu could not be read\n",
                summary.inputs, summary.pages, (config.out / "records").c_str(), check.records_on_disk,
                summary.records - summary.records_resumed, summary.records_resumed,
                others ? (", " + std::to_string(others) + " of inputs not in this batch").c_str() : "",
                summary.errors.size());
    if (summary.inputs == 0 && summary.errors.empty()) {
      std::string list;
      for (const auto& p : config.inputs) list += (list.empty() ? "" : ", ") + p.string();
      std::printf("sohoa: no scans found in %s (sohoa reads PDF, TIFF, JPEG and PNG files, and zip or tar archives "
                  "of them, in any sub-folder)\n", list.c_str());
    }
    if (!summary.outside_dossiers.empty()) {
      std::string list;
      for (const auto& p : summary.outside_dossiers) list += (list.empty() ? "" : ", ") + p;
      std::printf("sohoa: no package for the records of %zu input(s) outside any dossier folder (put them in a folder "
                  "named by the mã hồ sơ, e.g. HS-000101/, or give --dossier CODE): %s\n",
                  summary.outside_dossiers.size(), list.c_str());
    }
    if (!summary.skipped_outputs.empty()) {
      std::string list;
      for (const auto& p : summary.skipped_outputs) list += (list.empty() ? "" : ", ") + p;
      std::printf("sohoa: the records, packages and originals an earlier sohoa run wrote in %s were not read as "
                  "scans (every record would be made twice); scans beside them were\n", list.c_str());
    }
    if (!summary.copies.empty()) {
      std::string list;
      for (const auto& [copy, first] : summary.copies) list += (list.empty() ? "" : "; ") + copy + " = " + first;
      std::printf("sohoa: %zu input(s) hold the same bytes as another; each keeps its own records, linked by "
                  "duplicate_of: %s\n", summary.copies.size(), list.c_str());
    }
    if (!check.problems.empty()) {
      for (const auto& p : check.problems) std::fprintf(stderr, "sohoa: %s: %s\n", p.where.c_str(), p.what.c_str());
      std::fprintf(stderr, "sohoa: the output does not agree with what this batch wrote (%zu problem(s) above); "
                   "`sohoa verify %s` checks it all\n", check.problems.size(), config.out.c_str());
      return kFatal;
    }
    return summary.errors.empty() && all_signed ? kOk : kSomeInputsUnread;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    if (e.code() == sohoa::ErrorCode::output_io)
      std::fprintf(stderr, "sohoa: no half-written record is left; make room (or fix the output folder) and run the "
                           "same command again: inputs already finished are kept, the rest is done\n");
    return e.code() == sohoa::ErrorCode::busy ? kBusy : kFatal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa: internal error: %s\n", e.what());
    return kFatal;
  }
}

int plan_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out, int shards,
                 const std::string& dossier, const sohoa::ingest::Limits& limits) {
  try {
    const auto plan = sohoa::shard::make_plan(inputs, shards, out, dossier, limits);
    sohoa::shard::write_plan(plan, out);
    int pages = 0;
    for (const auto& it : plan.items) pages += it.pages;
    std::printf("sohoa: %zu inputs, %d pages in %zu shard(s); plan in %s\n", plan.items.size(), pages, plan.shards.size(),
                (out / "plan.json").c_str());
    for (size_t i = 0; i < plan.shards.size(); ++i)
      std::printf("  shard %zu: %zu dossier(s), %d inputs, %d pages\n", i, plan.shards[i].dossiers.size(),
                  plan.shards[i].inputs, plan.shards[i].pages);
    for (const auto& e : plan.errors)
      std::fprintf(stderr, "sohoa: %s%s%s: %s\n", e.path.c_str(), e.member ? "!" : "", e.member ? e.member->c_str() : "",
                   e.reason.c_str());
    return kOk;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int merge_command(const std::filesystem::path& out, const std::string& archive) {
  std::unique_ptr<sohoa::archive::Archive> arch;
  try {
    if (!archive.empty()) arch = sohoa::archive::Archive::open(archive);
    const auto plan = sohoa::shard::load_plan(out / "plan.json");
    const auto r = sohoa::shard::merge(out);
    if (!r.ok()) {
      for (const auto& line : r.incomplete) std::fprintf(stderr, "sohoa merge: %s\n", line.c_str());
      std::fprintf(stderr, "sohoa merge: incomplete (%zu problem(s) above in %d shard(s)); nothing merged into %s\n",
                   r.incomplete.size(), r.shards, out.c_str());
      return kIncomplete;
    }
    std::printf("sohoa: %d shards merged: %d inputs, %d pages, %d records (%d record folder(s) changed, %d stale removed); "
                "%d could not be read\n",
                r.shards, r.inputs, r.pages, r.records, r.records_linked, r.records_removed, r.errors);
    sohoa::batch::Config config;
    config.out = out;
    std::vector<std::filesystem::path> shard_outs;
    for (size_t i = 0; i < plan.shards.size(); ++i) shard_outs.push_back(sohoa::shard::shard_out(out, static_cast<int>(i)));
    archive_outputs(config, plan.default_dossier, shard_outs);
    if (arch) print_added(arch->add(out, ""), arch->backend());
    const auto check = sohoa::verify::check_batch(out);
    if (!check.problems.empty()) {
      for (const auto& p : check.problems) std::fprintf(stderr, "sohoa: %s: %s\n", p.where.c_str(), p.what.c_str());
      return kFatal;
    }
    return r.errors ? kSomeInputsUnread : kOk;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: %s\n", e.what());
    return kFatal;
  }
}

int sign_command(const std::filesystem::path& out, const std::string& dossier, const sohoa::sign::KeySpec& key) {
  try {
    const auto signer = open_signer(key);
    const bool all_signed = sign_outputs(out, *signer);
    sohoa::batch::Config config;
    config.out = out;
    archive_outputs(config, dossier);
    return all_signed ? kOk : kSomeInputsUnread;
  } catch (const sohoa::Error& e) {
    std::fprintf(stderr, "sohoa: cannot sign: %s\n", e.what());
    return e.code() == sohoa::ErrorCode::busy ? kBusy : kFatal;
  }
}

/// --sign and its companions, shared by `run` and `sign`.
void add_sign_options(CLI::App* cmd, sohoa::sign::KeySpec& key, bool required) {
  auto* opt = cmd->add_option("--sign", key.key,
                              "Sign each document.pdf (PAdES) with this key: a PKCS#12 file (.p12/.pfx) or a PKCS#11 "
                              "token URI, e.g. \"pkcs11:token=Office;object=signing\"");
  if (required) opt->required();
  opt->group("Signing");
  cmd->add_option("--sign-pass-file", key.passphrase_file, "File whose first line is the passphrase or token PIN")
      ->check(CLI::ExistingFile)->group("Signing");
  cmd->add_option("--sign-pass-env", key.passphrase_env, "Environment variable holding the passphrase or PIN")->group("Signing");
  cmd->add_option("--sign-cert", key.cert_file, "Token only: the certificate (PEM/DER) when it is not stored on the token")
      ->check(CLI::ExistingFile)->group("Signing");
  cmd->add_option("--sign-chain", key.chain_file, "CA certificates (PEM) to embed with each signature")
      ->check(CLI::ExistingFile)->group("Signing");
  cmd->add_option("--sign-name", key.field_name, "Signature field name (default: the certificate's organisation)")->group("Signing");
  cmd->add_option("--pkcs11-module", key.pkcs11_module, "PKCS#11 module of the token (default: p11-kit's proxy)")->group("Signing");
  cmd->add_option("--tsa", key.tsa_url, "RFC 3161 time-stamp authority (http://...): PAdES B-T instead of B-B")->group("Signing");
}

/// `sohoa review`: ADDR is HOST, HOST:PORT or [V6]:PORT; the token from --token or the first line of --token-file.
int review_command(sohoa::desk::ServeOptions o, const std::string& listen, const std::string& token_file) {
  if (!listen.empty()) {
    std::string host = listen, port;
    if (listen[0] == '[') {
      const size_t close = listen.find(']');
      host = listen.substr(1, close == std::string::npos ? std::string::npos : close - 1);
      if (close != std::string::npos && close + 1 < listen.size() && listen[close + 1] == ':') port = listen.substr(close + 2);
    } else if (const size_t colon = listen.rfind(':'); colon != std::string::npos && listen.find(':') == colon) {
      host = listen.substr(0, colon);
      port = listen.substr(colon + 1);
    }
    o.host = host;
    if (!port.empty()) {
      char* end = nullptr;
      const long p = std::strtol(port.c_str(), &end, 10);
      if (*end || p < 0 || p > 65535) {
        std::fprintf(stderr, "sohoa review: not a port: %s\n", port.c_str());
        return kUsage;
      }
      o.port = static_cast<int>(p);
    }
  }
  if (!token_file.empty()) {
    std::string t = sohoa::fs::read_text_or_empty(token_file);
    t = t.substr(0, t.find('\n'));
    while (!t.empty() && (t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.empty()) {
      std::fprintf(stderr, "sohoa review: %s holds no token\n", token_file.c_str());
      return kUsage;
    }
    o.token = t;
  }
  if (o.user.empty()) {
    const char* u = std::getenv("USER");
    o.user = u && *u ? u : (getlogin() ? getlogin() : "unknown");
  }
  try {
    return sohoa::desk::serve(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa review: %s\n", e.what());
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
  run->add_option("INPUT", inputs, "Folders or files to read (one sub-folder per dossier, or a dossier folder itself, recursively)")
      ->check(CLI::ExistingPath);
  run->add_option("-o,--out", out, "Output folder; created if missing; reruns replace records in place");
  std::string plan_file;
  int shard = -1;
  run->add_option("--plan", plan_file, "Run one shard of this plan (from `sohoa plan`) instead of INPUT; writes OUT/shards/<i>/")
      ->check(CLI::ExistingFile)->group("Sharding");
  run->add_option("--shard", shard, "The shard's index (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX)")
      ->check(CLI::NonNegativeNumber)->group("Sharding");
  run->add_option("-j,--jobs", config.jobs, "Pages recognised at once (default: number of cores)")
      ->check(CLI::Range(1, 256));
  run->add_option("--lang", lang, "Tesseract language model")->check(CLI::IsMember({"vie"}))->capture_default_str();
  run->add_option("--max-pages", config.limits.max_pages, "Refuse inputs with more pages than this")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  run->add_flag("-q,--quiet", quiet, "No progress output");
  std::string dossier;
  run->add_option("--dossier", dossier,
                  "Mã hồ sơ for inputs that are not inside a dossier folder (default: they get no package; an INPUT "
                  "folder named like a dossier code, e.g. HS-000101, is that dossier)")
      ->check([](const std::string& v) {
        return v.empty() || v.find_first_of("/\\") != std::string::npos || v[0] == '.' ? "not a dossier code: " + v
                                                                                     : std::string();
      });
  std::string trust_dir;
  run->add_option("--trust", trust_dir,
                  "Folder of CA certificates (PEM/DER) and CRLs that incoming PDF signatures are judged against")
      ->check(CLI::ExistingDirectory);
  std::string dump_ocr_images;
  run->add_option("--dump-ocr-images", dump_ocr_images,
                  "Measuring aid: also write each image given to recognition (PNG, at the DPI Tesseract is told)")
      ->group("");  // hidden: for bench/, not for users
  sohoa::sign::KeySpec key;
  add_sign_options(run, key, false);
  std::string run_archive;
  run->add_option("--archive", run_archive,
                  "Also add the batch's reusable records to this archive: a file (SQLite) or postgresql://…");
  std::string debug_layout;
  run->add_option("--debug-layout", debug_layout,
                  "Write each recognised page to this folder as a PNG with its regions drawn and numbered in reading order");
  run->footer(
      "Example:\n  sohoa run scans/ -o out/\n\n"
      "Writes OUT/batch.json with counts, per-stage timings and every input that could not be read.\n" +
      std::string(kExitHelp));

  std::vector<std::string> plan_inputs;
  std::string plan_out, plan_dossier;
  int plan_shards = 0;
  CLI::App* plan_cmd = app.add_subcommand("plan", "List INPUT (hashes, pages) into OUT/plan.json, cut into shards for many machines");
  plan_cmd->add_option("INPUT", plan_inputs, "As for run: folders or files, at the path every machine sees them")
      ->required()->check(CLI::ExistingPath);
  plan_cmd->add_option("-o,--out", plan_out, "The batch's output folder, shared by every machine")->required();
  plan_cmd->add_option("--shards", plan_shards, "How many shards (balanced by pages; a dossier is never split)")
      ->required()->check(CLI::Range(1, 100000));
  plan_cmd->add_option("--dossier", plan_dossier, "As for run: mã hồ sơ of inputs outside any dossier folder");
  plan_cmd->add_option("--max-pages", config.limits.max_pages, "As for run")->check(CLI::Range(1, 1000000));
  plan_cmd->footer("Then: sohoa run --plan OUT/plan.json --shard i (each i, anywhere), and sohoa merge OUT.");
  std::string merge_out, merge_archive;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Join the shards of OUT/plan.json into one batch in OUT");
  merge_cmd->add_option("OUT", merge_out, "The plan's output folder")->required()->check(CLI::ExistingDirectory);
  merge_cmd->add_option("--archive", merge_archive, "Also add the batch to this archive: a file (SQLite) or postgresql://…");

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
  sohoa::verify::Options verify_options;
  verify->add_option("--trust", verify_options.trust_dir,
                     "Folder of PEM certificates to trust: every document.pdf must then carry a signature chaining to one")
      ->check(CLI::ExistingDirectory);
  verify->add_option("--crl", verify_options.crl_files, "CRL file (PEM or DER); a signer listed in it is reported revoked")
      ->check(CLI::ExistingFile);
  std::string sign_out, sign_dossier;
  CLI::App* sign = app.add_subcommand("sign", "Sign every unsigned document.pdf of OUT, then rewrite its packages and catalog");
  sign->add_option("OUT", sign_out, "Output folder of an earlier run")->required()->check(CLI::ExistingDirectory);
  sign->add_option("--dossier", sign_dossier, "As for run: mã hồ sơ of inputs outside any dossier folder");
  add_sign_options(sign, key, true);
  CLI::App* archive = app.add_subcommand("archive", "The archive of reusable records across batches (SQLite file or PostgreSQL)");
  archive->require_subcommand(1);
  std::string archive_opt, archive_out, archive_who, archive_role, archive_query, archive_type;
  bool archive_json = false;
  auto url_help = "Archive: a file (SQLite, the default $SOHOA_ARCHIVE or ~/.local/share/sohoa/archive.sqlite) or "
                  "postgresql://user@host/db";
  CLI::App* archive_add = archive->add_subcommand("add", "Add OUT's packages and reusable records; adding it again changes nothing");
  archive_add->add_option("OUT", archive_out, "Output folder of a run")->required()->check(CLI::ExistingDirectory);
  archive_add->add_option("--archive", archive_opt, url_help);
  archive_add->add_option("--who", archive_who, "Who adds (default: the user name)");
  CLI::App* archive_init = archive->add_subcommand("init", "Create or migrate the archive's schema (as its owner)");
  archive_init->add_option("--archive", archive_opt, url_help);
  archive_init->add_option("--grant", archive_role, "PostgreSQL: let this role read and insert, nothing more");
  CLI::App* archive_search = archive->add_subcommand("search", "Full-text search of the whole archive, as `sohoa search`");
  archive_search->add_option("QUERY", archive_query, "Words that must all occur; accents and case do not matter");
  archive_search->add_option("--type", archive_type, "Only this doc_type");
  archive_search->add_option("--archive", archive_opt, url_help);
  archive_search->add_option("--who", archive_who, "Who asks, for the log (default: the user name)");
  archive_search->add_flag("--json", archive_json, "A JSON array for scripts");
  CLI::App* lookup = app.add_subcommand("lookup", "A citizen's reusable documents in the archive, with their validity");
  sohoa::archive::PersonQuery person;
  auto* by_id = lookup->add_option("--id", person.id, "Số định danh cá nhân (12 digits)");
  auto* by_name = lookup->add_option("--name", person.name, "Họ và tên, with or without diacritics");
  by_id->excludes(by_name);
  lookup->add_option("--born", person.born, "Ngày sinh YYYY-MM-DD (with --name)")->needs(by_name);
  lookup->add_option("--archive", archive_opt, url_help);
  lookup->add_option("--who", person.who, "Who asks, for the log (default: the user name)");
  lookup->add_option("--on", person.today, "Judge validity on this day (YYYY-MM-DD; default today)");
  lookup->add_option("--limit", person.limit, "Show at most N documents, the first by type and date (a name alone: by date of birth); 0: all")
      ->check(CLI::NonNegativeNumber);
  lookup->add_flag("--json", archive_json, "A JSON array for scripts");
  sohoa::desk::ServeOptions review_options;
  std::string review_out, review_listen, review_token_file;
  CLI::App* review = app.add_subcommand("review", "The review desk: a local web application where archive staff correct and approve records of OUT");
  review->add_option("OUT", review_out, "Output folder of an earlier run")->required()->check(CLI::ExistingDirectory);
  review->add_option("--listen", review_listen, "HOST[:PORT] to listen on (default 127.0.0.1:8765); other than loopback needs a token");
  auto* tok = review->add_option("--token", review_options.token, "Every request must carry this token (default: a random one, printed)");
  review->add_option("--token-file", review_token_file, "File whose first line is the token")->check(CLI::ExistingFile)->excludes(tok);
  review->add_option("--user", review_options.user, "Who the changes are by (default: the login name)");
  review->add_option("--dossier", review_options.default_dossier, "As for run: mã hồ sơ of inputs outside any dossier folder");
  review->add_option("--test-pause-ms", review_options.pause_ms, "Testing aid: hold each save between record and package")->group("");
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
  if (verify->parsed()) return verify_command(verify_target, verify_options);
  if (archive_add->parsed()) return archive_command("add", archive_opt, archive_out, archive_who, "");
  if (archive_init->parsed()) return archive_command("init", archive_opt, "", "", archive_role);
  if (archive_search->parsed()) {
    sohoa::archive::SearchQuery q;
    q.text = archive_query;
    if (!archive_type.empty()) q.doc_type = archive_type;
    q.who = archive_who;
    return archive_search_command(archive_opt, q, archive_json);
  }
  if (lookup->parsed()) {
    if (person.id.empty() && person.name.empty()) {
      std::fprintf(stderr, "sohoa lookup: give --id or --name\n");
      return kUsage;
    }
    return lookup_command(archive_opt, person, archive_json);
  }
  if (sign->parsed()) return sign_command(sign_out, sign_dossier, key);
  if (review->parsed()) {
    review_options.out = review_out;
    return review_command(review_options, review_listen, review_token_file);
  }
  if (plan_cmd->parsed()) {
    std::vector<std::filesystem::path> roots(plan_inputs.begin(), plan_inputs.end());
    return plan_command(roots, plan_out, plan_shards, plan_dossier, config.limits);
  }
  if (merge_cmd->parsed()) return merge_command(merge_out, merge_archive);
  if (!plan_file.empty()) {
    if (!inputs.empty() || !out.empty() || !dossier.empty()) {
      std::fprintf(stderr, "sohoa run: --plan takes INPUT, -o and --dossier from the plan; give none of them\n");
      return kUsage;
    }
    std::shared_ptr<const sohoa::ingest::TrustAnchors> trust;
    if (!trust_dir.empty()) {
      try {
        trust = sohoa::ingest::TrustAnchors::load(trust_dir);
      } catch (const sohoa::Error& e) {
        std::fprintf(stderr, "sohoa: %s\n", e.what());
        return kUsage;
      }
    }
    sohoa::shard::Task task;
    try {
      task = sohoa::shard::start_task(plan_file, shard);
    } catch (const sohoa::shard::UsageError& e) {
      std::fprintf(stderr, "sohoa: %s\n", e.what());
      return kUsage;
    } catch (const sohoa::Error& e) {
      std::fprintf(stderr, "sohoa: %s\n", e.what());
      return kFatal;
    }
    sohoa::batch::Config& sc = task.config;
    sc.jobs = config.jobs;
    sc.limits = config.limits;
    sc.progress = !quiet;
    sc.trust = trust;
    const int code = run_command(sc, task.plan.default_dossier, key, run_archive,
                                 sohoa::shard::other_shards_records(task.plan, task.index));
    if (code != kBusy) sohoa::shard::write_status(task.top, task.index, "done", code);
    return code;
  }
  if (inputs.empty() || out.empty()) {
    std::fprintf(stderr, "sohoa run: give INPUT and -o OUT (or --plan)\n");
    return kUsage;
  }

  for (const auto& in : inputs) config.inputs.emplace_back(in);
  config.out = out;
  config.progress = !quiet;
  config.dump_ocr_images = dump_ocr_images;
  if (!trust_dir.empty()) {
    try {
      config.trust = sohoa::ingest::TrustAnchors::load(trust_dir);
    } catch (const sohoa::Error& e) {
      std::fprintf(stderr, "sohoa: %s\n", e.what());
      return kUsage;
    }
  }
  config.debug_layout = debug_layout;
  config.default_dossier = dossier;
  return run_command(config, dossier, key, run_archive);
}

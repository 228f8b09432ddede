#include "shard/shard.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/fsutil.h"
#include "ingest/sniff.h"
#include "output/record_writer.h"

namespace sohoa::shard {
namespace {

namespace stdfs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr int kPlanFormat = 1;

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

json member_json(const std::optional<std::string>& m) { return m ? json(*m) : json(nullptr); }

ErrorCode code_named(const std::string& name) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::internal); ++c)
    if (name == to_string(static_cast<ErrorCode>(c))) return static_cast<ErrorCode>(c);
  return ErrorCode::unreadable;
}

json read_json(const stdfs::path& p) {
  std::ifstream in(p);
  if (!in) throw Error(ErrorCode::unreadable, p.string() + ": cannot be read");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw Error(ErrorCode::damaged, p.string() + ": not valid JSON (" + e.what() + ")");
  }
}

/// Whether the file at `path` is held by a live sohoa run (its flock), i.e. a shard still running.
bool locked(const stdfs::path& lock_path) {
  const int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  ::close(fd);
  return busy;
}

bool same_file(const stdfs::path& a, const stdfs::path& b) {
  std::error_code ec;
  if (stdfs::equivalent(a, b, ec)) return true;
  if (stdfs::file_size(a, ec) != stdfs::file_size(b, ec) || ec) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  return std::equal(std::istreambuf_iterator<char>(fa), {}, std::istreambuf_iterator<char>(fb), {});
}

/// Same relative file names, same bytes.
bool same_tree(const stdfs::path& a, const stdfs::path& b) {
  std::error_code ec;
  if (!stdfs::is_directory(b, ec)) return false;
  std::set<std::string> names_a, names_b;
  for (const auto& e : stdfs::recursive_directory_iterator(a)) if (e.is_regular_file()) names_a.insert(e.path().lexically_relative(a).string());
  for (const auto& e : stdfs::recursive_directory_iterator(b)) if (e.is_regular_file()) names_b.insert(e.path().lexically_relative(b).string());
  if (names_a != names_b) return false;
  for (const auto& n : names_a)
    if (!same_file(a / n, b / n)) return false;
  return true;
}

/// A hard link (shards and OUT share a file system on a shared folder), else a copy.
void link_or_copy(const stdfs::path& from, const stdfs::path& to) {
  std::error_code ec;
  stdfs::create_hard_link(from, to, ec);
  if (!ec) return;
  stdfs::copy_file(from, to, stdfs::copy_options::overwrite_existing, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
}

/// OUT/records/<id> made equal to the shard's: built beside it, then put in its place.
void place_record(const stdfs::path& from, const stdfs::path& to) {
  std::error_code ec;
  const stdfs::path tmp = to.string() + ".tmp-merge";
  stdfs::remove_all(tmp, ec);
  stdfs::create_directories(tmp, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + tmp.string() + ": " + ec.message());
  for (const auto& e : stdfs::recursive_directory_iterator(from)) {
    const stdfs::path rel = e.path().lexically_relative(from);
    if (e.is_directory()) stdfs::create_directories(tmp / rel, ec);
    else if (e.is_regular_file()) link_or_copy(e.path(), tmp / rel);
  }
  // A directory cannot be renamed over a non-empty one: a merge killed between these two lines
  // leaves the record missing, and the next merge puts it back.
  stdfs::remove_all(to, ec);
  stdfs::rename(tmp, to, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot rename " + tmp.string() + " to " + to.string() + ": " + ec.message());
}

std::string item_key(const std::string& path, const json& member) {
  return path + "\n" + (member.is_string() ? member.get<std::string>() : std::string("\x01"));
}

}  // namespace

Plan make_plan(const std::vector<stdfs::path>& roots, int shards, const stdfs::path& out,
               const std::string& default_dossier, const ingest::Limits& limits) {
  if (shards < 1) throw Error(ErrorCode::internal, "--shards must be at least 1");
  Plan plan;
  plan.default_dossier = default_dossier;
  std::error_code ec;
  for (const auto& r : roots) plan.roots.push_back(fs::generic(stdfs::absolute(r, ec).lexically_normal()));
  std::vector<stdfs::path> abs_roots(plan.roots.begin(), plan.roots.end());
  const ingest::Discovery d = ingest::discover(abs_roots, limits, out, default_dossier);
  plan.errors = d.errors;
  // Dossiers in the order discovery meets them, with their pages.
  std::vector<std::string> order;
  std::map<std::string, int> pages_of;
  for (const auto& item : d.items) {
    PlanItem p;
    p.source = item.source;
    p.format = ingest::format_name(item.format);
    p.size = item.member_bytes ? item.member_bytes->size() : stdfs::file_size(item.file, ec);
    p.pages = item.page_count;
    if (!pages_of.count(item.dossier)) order.push_back(item.dossier);
    pages_of[item.dossier] += std::max(1, item.page_count);
    plan.items.push_back(std::move(p));
  }
  // Largest dossier first onto the least loaded shard (ties: the lower index): pages, not files,
  // are what a shard spends its time on, and a dossier is one package, so it stays whole.
  std::vector<std::string> by_size = order;
  std::stable_sort(by_size.begin(), by_size.end(), [&](const auto& a, const auto& b) { return pages_of[a] > pages_of[b]; });
  plan.shards.resize(shards);
  std::map<std::string, int> shard_of;
  for (const auto& dossier : by_size) {
    int best = 0;
    for (int i = 1; i < shards; ++i)
      if (plan.shards[i].pages < plan.shards[best].pages) best = i;
    shard_of[dossier] = best;
    plan.shards[best].pages += pages_of[dossier];
  }
  for (auto& s : plan.shards) s.pages = 0;
  for (const auto& dossier : order) plan.shards[shard_of[dossier]].dossiers.push_back(dossier);
  for (auto& item : plan.items) {
    item.shard = shard_of[item.source.dossier];
    plan.shards[item.shard].inputs += 1;
    plan.shards[item.shard].pages += item.pages;
  }
  return plan;
}

void write_plan(const Plan& plan, const stdfs::path& out) {
  json j;
  j["sohoa_plan"] = kPlanFormat;
  j["sohoa_version"] = SOHOA_VERSION;
  j["inputs"] = plan.roots;
  j["default_dossier"] = plan.default_dossier;
  json shards = json::array();
  for (size_t i = 0; i < plan.shards.size(); ++i)
    shards.push_back({{"index", i}, {"dossiers", plan.shards[i].dossiers}, {"inputs", plan.shards[i].inputs},
                      {"pages", plan.shards[i].pages}});
  j["shards"] = shards;
  json items = json::array();
  for (const auto& it : plan.items)
    items.push_back({{"path", it.source.path}, {"member", member_json(it.source.member)}, {"dossier", it.source.dossier},
                     {"format", it.format}, {"size", it.size}, {"sha256", it.source.sha256}, {"pages", it.pages},
                     {"shard", it.shard}});
  j["items"] = items;
  json errors = json::array();
  for (const auto& e : plan.errors)
    errors.push_back({{"path", e.path}, {"member", member_json(e.member)}, {"code", to_string(e.code)}, {"reason", e.reason}});
  j["errors"] = errors;
  std::error_code ec;
  stdfs::create_directories(out, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + out.string() + ": " + ec.message());
  fs::write_atomic(out / "plan.json", dump(j));
}

Plan load_plan(const stdfs::path& plan_json) {
  const json j = read_json(plan_json);
  Plan plan;
  try {
    if (j.at("sohoa_plan").get<int>() != kPlanFormat)
      throw Error(ErrorCode::unsupported, plan_json.string() + ": plan format " + j.at("sohoa_plan").dump() + " is not 1");
    plan.roots = j.at("inputs").get<std::vector<std::string>>();
    plan.default_dossier = j.at("default_dossier").get<std::string>();
    for (const auto& s : j.at("shards"))
      plan.shards.push_back({s.at("dossiers").get<std::vector<std::string>>(), s.at("inputs").get<int>(), s.at("pages").get<int>()});
    for (const auto& i : j.at("items")) {
      PlanItem p;
      p.source.path = i.at("path").get<std::string>();
      if (i.at("member").is_string()) p.source.member = i.at("member").get<std::string>();
      p.source.sha256 = i.at("sha256").get<std::string>();
      p.source.dossier = i.at("dossier").get<std::string>();
      p.format = i.at("format").get<std::string>();
      p.size = i.at("size").get<uint64_t>();
      p.pages = i.at("pages").get<int>();
      p.shard = i.at("shard").get<int>();
      if (p.shard < 0 || p.shard >= static_cast<int>(plan.shards.size()))
        throw Error(ErrorCode::damaged, plan_json.string() + ": " + p.source.path + " is in shard " + std::to_string(p.shard) +
                                            " of " + std::to_string(plan.shards.size()));
      plan.items.push_back(std::move(p));
    }
    for (const auto& e : j.at("errors")) {
      ingest::InputError ie;
      ie.path = e.at("path").get<std::string>();
      if (e.at("member").is_string()) ie.member = e.at("member").get<std::string>();
      ie.code = code_named(e.at("code").get<std::string>());
      ie.reason = e.at("reason").get<std::string>();
      plan.errors.push_back(std::move(ie));
    }
  } catch (const json::exception& e) {
    throw Error(ErrorCode::damaged, plan_json.string() + ": not a sohoa plan (" + e.what() + ")");
  }
  if (plan.shards.empty()) throw Error(ErrorCode::damaged, plan_json.string() + ": no shards");
  return plan;
}

stdfs::path shard_out(const stdfs::path& out, int shard) { return out / "shards" / std::to_string(shard); }

batch::Config shard_config(const Plan& plan, const stdfs::path& out, int shard) {
  batch::Config c;
  for (const auto& r : plan.roots) c.inputs.emplace_back(r);
  c.out = shard_out(out, shard);
  c.exclude = out;
  c.default_dossier = plan.default_dossier;
  const std::set<std::string> dossiers(plan.shards.at(shard).dossiers.begin(), plan.shards.at(shard).dossiers.end());
  c.only = [dossiers](const std::string& dossier, const std::string&) { return dossiers.count(dossier) > 0; };
  for (const auto& it : plan.items) c.first_of_content.emplace(it.source.sha256, it.source);
  return c;
}

std::function<bool(const std::string&)> other_shards_records(const Plan& plan, int shard) {
  // A record id is the hash of its input's place, then its pages (output::record_id).
  std::set<std::string> prefixes;
  for (const auto& it : plan.items)
    if (it.shard != shard) prefixes.insert(output::record_id(it.source, 1, 1).substr(0, 16));
  return [prefixes](const std::string& id) { return id.size() > 16 && prefixes.count(id.substr(0, 16)) > 0; };
}

int task_index(int given) {
  if (given >= 0) return given;
  for (const char* var : {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"})
    if (const char* v = std::getenv(var); v && *v) {
      char* end = nullptr;
      const long i = std::strtol(v, &end, 10);
      if (*end || i < 0) throw UsageError(std::string(var) + "=" + v + " is not a shard index");
      return static_cast<int>(i);
    }
  throw UsageError("which shard? give --shard i, or run as a Slurm array task or Kubernetes Indexed Job");
}

Task start_task(const stdfs::path& plan_json, int given) {
  Task t;
  t.index = task_index(given);
  t.plan = load_plan(plan_json);
  if (t.index >= static_cast<int>(t.plan.shards.size()))
    throw UsageError("shard " + std::to_string(t.index) + " does not exist: " + plan_json.string() + " has shards 0 to " +
                     std::to_string(t.plan.shards.size() - 1));
  t.top = plan_json.parent_path().empty() ? stdfs::path(".") : plan_json.parent_path();
  t.config = shard_config(t.plan, t.top, t.index);
  write_status(t.top, t.index, "running", 0);
  return t;
}

std::function<bool(const std::string&)> elsewhere_of_shard_folder(const stdfs::path& dir) {
  std::error_code ec;
  const stdfs::path abs = stdfs::weakly_canonical(stdfs::absolute(dir, ec), ec);
  const stdfs::path top = abs.parent_path().parent_path();
  if (abs.parent_path().filename() != "shards" || !stdfs::exists(abs / "shard.json", ec) || !stdfs::exists(top / "plan.json", ec))
    return {};
  const json status = read_json(abs / "shard.json");
  const int index = status.value("shard", -1);
  const Plan plan = load_plan(top / "plan.json");
  if (index < 0 || index >= static_cast<int>(plan.shards.size()) || abs.filename() != std::to_string(index)) return {};
  return other_shards_records(plan, index);
}

void write_status(const stdfs::path& out, int shard, const std::string& state, int exit_code) {
  std::error_code ec;
  const stdfs::path dir = shard_out(out, shard);
  stdfs::create_directories(dir, ec);
  json j = {{"shard", shard}, {"state", state}, {"exit", state == "done" ? json(exit_code) : json(nullptr)}};
  fs::write_atomic(dir / "shard.json", dump(j));
}

MergeResult merge(const stdfs::path& out) {
  const Plan plan = load_plan(out / "plan.json");
  MergeResult r;
  r.shards = static_cast<int>(plan.shards.size());
  std::vector<json> batches(plan.shards.size());
  // Every shard checked before anything is written: a half merge is worse than none.
  for (size_t i = 0; i < plan.shards.size(); ++i) {
    const stdfs::path dir = shard_out(out, static_cast<int>(i));
    const std::string name = "shard " + std::to_string(i) + " (" + dir.string() + ", " +
                             std::to_string(plan.shards[i].inputs) + " inputs, " + std::to_string(plan.shards[i].pages) + " pages)";
    std::error_code ec;
    if (plan.shards[i].inputs == 0) continue;  // more shards than dossiers: nothing to run
    if (!stdfs::exists(dir / "shard.json", ec)) {
      r.incomplete.push_back(name + ": missing, it never ran here");
      continue;
    }
    json status;
    try {
      status = read_json(dir / "shard.json");
    } catch (const Error& e) {
      r.incomplete.push_back(name + ": " + e.what());
      continue;
    }
    if (status.value("state", "") != "done") {
      r.incomplete.push_back(name + (locked(dir / ".sohoa.lock") ? ": still running" : ": did not finish (killed?); run it again"));
      continue;
    }
    const int code = status.value("exit", 1);
    if (code != 0 && code != 3) {  // 3: finished, some inputs unreadable (listed in its errors)
      r.incomplete.push_back(name + ": failed with exit status " + std::to_string(code) + "; run it again");
      continue;
    }
    try {
      batches[i] = read_json(dir / "batch.json");
    } catch (const Error& e) {
      r.incomplete.push_back(name + ": " + e.what());
      continue;
    }
    // What the shard read must be what was planned: a file changed since would be merged unseen.
    std::map<std::string, const json*> read;
    for (const auto& it : batches[i].at("items")) read[item_key(it.at("path"), it.at("member"))] = &it;
    for (const auto& p : plan.items) {
      if (p.shard != static_cast<int>(i)) continue;
      const auto f = read.find(item_key(p.source.path, member_json(p.source.member)));
      if (f == read.end()) r.incomplete.push_back(name + ": " + p.source.display() + " was planned but not read");
      else if (f->second->at("sha256") != p.source.sha256)
        r.incomplete.push_back(name + ": " + p.source.display() + " changed since the plan (sha256 differs); plan again");
      if (f != read.end()) read.erase(f);
    }
    for (const auto& [k, it] : read)
      r.incomplete.push_back(name + ": " + it->at("path").get<std::string>() + " was read but is not in the plan; plan again");
    for (const auto& it : batches[i].at("items"))
      for (const auto& id : it.at("records"))
        if (!stdfs::exists(dir / "records" / id.get<std::string>() / "record.json", ec))
          r.incomplete.push_back(name + ": records/" + id.get<std::string>() + " is listed but missing; run it again");
  }
  if (!r.ok()) return r;

  std::error_code ec;
  stdfs::create_directories(out / "records", ec);
  stdfs::create_directories(out / "originals", ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + (out / "originals").string() + ": " + ec.message());
  // batch.json as one run writes it: items in discovery (plan) order, errors sorted, sums.
  std::map<std::string, const json*> item_of;
  json errors = json::array();
  std::set<std::string> seen_errors;
  json timings = json::object(), cpu = json::object(), per_shard = json::array();
  int pages_processed = 0, inputs_resumed = 0, records_resumed = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    const json& b = batches[i];
    if (b.is_null()) continue;
    for (const auto& it : b.at("items")) item_of[item_key(it.at("path"), it.at("member"))] = &it;
    // Errors met while walking the folders are met by every shard: listed once.
    for (const auto& e : b.at("errors"))
      if (seen_errors.insert(e.dump()).second) errors.push_back(e);
    r.inputs += b.value("inputs", 0);
    r.pages += b.value("pages", 0);
    pages_processed += b.value("pages_processed", 0);
    inputs_resumed += b.value("inputs_resumed", 0);
    records_resumed += b.value("records_resumed", 0);
    const json t = b.value("timings_s", json::object()), c = b.value("cpu_timings_s", json::object());
    for (const auto& [k, v] : t.items()) timings[k] = timings.value(k, 0.0) + v.get<double>();
    for (const auto& [k, v] : c.items()) cpu[k] = cpu.value(k, 0.0) + v.get<double>();
    per_shard.push_back({{"index", i}, {"inputs", b.value("inputs", 0)}, {"pages", b.value("pages", 0)},
                         {"records", b.value("records", 0)}, {"errors", b.at("errors").size()}});
  }
  std::stable_sort(errors.begin(), errors.end(), [](const json& a, const json& b) {
    return std::make_pair(a.at("path").get<std::string>(), a.at("member").dump()) <
           std::make_pair(b.at("path").get<std::string>(), b.at("member").dump());
  });
  json items = json::array();
  std::set<std::string> wanted;
  for (const auto& p : plan.items) {
    const json& it = *item_of.at(item_key(p.source.path, member_json(p.source.member)));
    items.push_back(it);
    const stdfs::path from_dir = shard_out(out, p.shard);
    for (const auto& id_j : it.at("records")) {
      const std::string id = id_j.get<std::string>();
      wanted.insert(id);
      ++r.records;
      const stdfs::path from = from_dir / "records" / id, to = out / "records" / id;
      if (!same_tree(from, to)) {
        place_record(from, to);
        ++r.records_linked;
      }
      // The preservation original the record names, under the same name.
      const json rec = read_json(from / "record.json");
      const json& o = rec.contains("original") ? rec["original"] : json();
      const std::string orig = o.is_object() && o.value("file", json()).is_string() ? o["file"].get<std::string>() : "";
      if (!orig.empty() && stdfs::exists(from_dir / orig, ec) && !same_file(from_dir / orig, out / orig)) {
        stdfs::remove(out / orig, ec);
        link_or_copy(from_dir / orig, out / orig);
      }
    }
  }
  // Records of an earlier merge that no shard holds now (a shard reran and split otherwise).
  for (const auto& e : stdfs::directory_iterator(out / "records"))
    if (!wanted.count(e.path().filename().string())) {
      stdfs::remove_all(e.path(), ec);
      ++r.records_removed;
    }
  r.errors = static_cast<int>(errors.size());
  json j = batch::batch_json({r.inputs, r.pages, r.records, pages_processed, inputs_resumed, records_resumed}, timings, cpu,
                             errors, items);
  j["shards"] = per_shard;
  fs::write_atomic(out / "batch.json", dump(j));
  return r;
}

}  // namespace sohoa::shard

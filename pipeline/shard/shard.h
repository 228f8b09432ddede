// One batch over many machines: a plan cut into shards, each run as an ordinary batch in
// OUT/shards/<i>/, and a merge of them into OUT as if one machine had run it all.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "batch/batch.h"
#include "core/types.h"
#include "ingest/ingest.h"

namespace sohoa::shard {

struct PlanItem {
  SourceRef source;  // path, member, sha256, dossier: as discovery gives them
  std::string format;
  uint64_t size = 0;  // bytes of the file or archive member
  int pages = 0;
  int shard = 0;
};

struct ShardInfo {
  std::vector<std::string> dossiers;  // "" = the inputs outside any dossier folder
  int inputs = 0;
  int pages = 0;
};

struct Plan {
  std::vector<std::string> roots;  // INPUT as absolute paths: every machine must see them there
  std::string default_dossier;
  std::vector<PlanItem> items;  // discovery order
  std::vector<ShardInfo> shards;
  std::vector<ingest::InputError> errors;  // what discovery could not take in
};

/// Discovers every input (hashes and counts pages) and cuts them into `shards` shards balanced by
/// pages; a dossier is never split. The same inputs always give the same plan.
Plan make_plan(const std::vector<std::filesystem::path>& roots, int shards, const std::filesystem::path& out,
               const std::string& default_dossier, const ingest::Limits& limits);

/// OUT/plan.json, written atomically.
void write_plan(const Plan& plan, const std::filesystem::path& out);

/// Reads plan.json; throws sohoa::Error naming the file and what is wrong with it.
Plan load_plan(const std::filesystem::path& plan_json);

/// Where shard i of the plan in OUT writes: an ordinary batch OUT of its own.
std::filesystem::path shard_out(const std::filesystem::path& out, int shard);

/// A batch config that reads only shard i of the plan (stored in `out`) and writes to shard_out().
batch::Config shard_config(const Plan& plan, const std::filesystem::path& out, int shard);

/// Whether a record id is of an input another shard of the plan reads (a duplicate_of target
/// the shard cannot see; the merge checks it).
std::function<bool(const std::string& record_id)> other_shards_records(const Plan& plan, int shard);

/// OUT/shards/<i>/shard.json: "running" before the batch starts, "done" with the exit status after.
void write_status(const std::filesystem::path& out, int shard, const std::string& state, int exit_code);

struct MergeResult {
  std::vector<std::string> incomplete;  // one line per shard that is missing, failed or unfinished
  int shards = 0, inputs = 0, pages = 0, records = 0, errors = 0;
  int records_linked = 0;  // record folders changed in OUT/records by this merge
  int records_removed = 0;  // stale record folders of an earlier merge
  bool ok() const { return incomplete.empty(); }
};

/// Joins OUT/shards/* into OUT/records, OUT/originals and OUT/batch.json, in plan order, as one
/// run would have written them. Touches nothing when a shard is incomplete. Idempotent: unchanged
/// records are left as they are.
MergeResult merge(const std::filesystem::path& out);

}  // namespace sohoa::shard

// One batch over many machines: a plan cut into shards, each run as an ordinary batch in
// OUT/shards/<i>/, and a merge of them into OUT as if one machine had run it all.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
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

/// One task of a scheduler: `sohoa run --plan FILE [--shard i]`.
struct Task {
  Plan plan;
  int index = -1;
  std::filesystem::path top;  // the plan's OUT (plan.json's folder)
  batch::Config config;       // shard_config() of the task's shard
};

/// A task's set-up that is not the task's fault: no index, or one the plan does not have (the
/// command line is wrong, exit status 2), as against a plan that cannot be read (sohoa::Error).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The shard's index: `given` when >= 0, else the index the scheduler hands a task
/// (SLURM_ARRAY_TASK_ID of a Slurm job array, JOB_COMPLETION_INDEX of a Kubernetes Indexed Job).
/// Throws UsageError when there is none or it is not a number.
int task_index(int given);

/// Reads the plan and sets up shard `task_index(given)`: its batch config and its shard.json
/// marked "running" (the merge trusts only a shard that says it finished, and a killed task leaves
/// "running"). Throws UsageError, sohoa::Error.
Task start_task(const std::filesystem::path& plan_json, int given);

/// Whether a record id is of an input another shard of the plan reads (a duplicate_of target
/// the shard cannot see; the merge checks it).
std::function<bool(const std::string& record_id)> other_shards_records(const Plan& plan, int shard);

/// When `dir` is a shard's folder of a plan (OUT/shards/<i> beside OUT/plan.json, with its
/// shard.json): other_shards_records() of that shard, for `sohoa verify OUT/shards/<i>`. Else empty.
std::function<bool(const std::string& record_id)> elsewhere_of_shard_folder(const std::filesystem::path& dir);

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

"""One batch over four shards (plan, run each, one killed part-way and run again, merge) equals one
machine's run of the same inputs, record for record and package for package."""
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import unittest
from pathlib import Path

from sohoa_run import BIN, SAMPLES, fresh_dir, remove

EPOCH = "1735689600"  # packages are byte-for-byte reproducible with SOURCE_DATE_EPOCH (test_archive.py)
SHARDS = 4


def sohoa(*args, env_extra=None, codes=(0,)):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    env.update(env_extra or {})
    proc = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=1800, env=env)
    if codes is not None and proc.returncode not in codes:
        raise AssertionError(f"sohoa {args} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def records(out):
    return {d.name: json.loads((d / "record.json").read_text(encoding="utf-8"))
            for d in sorted((Path(out) / "records").iterdir())}


def packages(out):
    return {z.name: sha(z) for z in sorted((Path(out) / "packages").glob("*.zip"))}


class Shards(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("shards")
        cls.inp = cls.tmp / "in"
        shutil.copytree(SAMPLES / "scans", cls.inp)
        # The same bytes in a dossier of its own: with one plan, duplicate_of must still point at the
        # first copy when the two land in different shards.
        (cls.inp / "HS-000131").mkdir()
        shutil.copy(cls.inp / "HS-000128" / "thong-bao.jpg", cls.inp / "HS-000131" / "ban-sao-thong-bao.jpg")

        sohoa("run", cls.inp, "-o", cls.tmp / "single", "-q", "-j", "2", codes=(0, 3))

        cls.out = cls.tmp / "out"
        cls.plan_stdout = sohoa("plan", cls.inp, "-o", cls.out, "--shards", SHARDS).stdout
        cls.plan = json.loads((cls.out / "plan.json").read_text(encoding="utf-8"))
        # The shard to kill: the one with most pages, on one core, so that it is still busy.
        cls.victim = max(range(SHARDS), key=lambda i: cls.plan["shards"][i]["pages"])
        for i in range(SHARDS):
            if i == cls.victim:
                continue
            # The index as each scheduler hands it over, and as an argument.
            how = [["--shard", str(i)], [], []][i % 3]
            env = [{}, {"SLURM_ARRAY_TASK_ID": str(i)}, {"JOB_COMPLETION_INDEX": str(i)}][i % 3]
            sohoa("run", "--plan", cls.out / "plan.json", *how, "-q", "-j", "2", env_extra=env, codes=(0, 3))

        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        proc = subprocess.Popen([BIN, "run", "--plan", str(cls.out / "plan.json"), "--shard", str(cls.victim), "-q", "-j", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        done = cls.out / "shards" / str(cls.victim) / "done"
        deadline = time.time() + 600
        while time.time() < deadline and proc.poll() is None and not (done.is_dir() and any(done.iterdir())):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        cls.kill_status = proc.wait()
        cls.merge_after_kill = sohoa("merge", cls.out, codes=None)

        cls.rerun = sohoa("run", "--plan", cls.out / "plan.json", "--shard", cls.victim, "-j", "2", "-q", codes=(0, 3))
        cls.archive = cls.tmp / "archive.sqlite"
        cls.merge1 = sohoa("merge", cls.out, "--archive", cls.archive, codes=(0, 3))
        cls.batch1 = (cls.out / "batch.json").read_bytes()
        cls.packages1 = packages(cls.out)
        cls.records1 = records(cls.out)
        cls.merge2 = sohoa("merge", cls.out, "--archive", cls.archive, codes=(0, 3))
        cls.batch2 = (cls.out / "batch.json").read_bytes()
        cls.packages2 = packages(cls.out)
        # One shard run again from nothing, a day later (its records' "created" differs): the merge
        # makes only its dossiers' packages again. (Run again with the same date, it writes the same
        # bytes, and the merge changes nothing at all.)
        cls.redone = (cls.victim + 1) % SHARDS
        shutil.rmtree(cls.out / "shards" / str(cls.redone))
        sohoa("run", "--plan", cls.out / "plan.json", "--shard", cls.redone, "-j", "2", "-q", codes=(0, 3),
              env_extra={"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400)})
        cls.redone_records = sum(len(i["records"]) for i in json.loads(
            (cls.out / "shards" / str(cls.redone) / "batch.json").read_text(encoding="utf-8"))["items"])
        cls.merge3 = sohoa("merge", cls.out, codes=(0, 3))
        cls.packages3 = packages(cls.out)

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def test_plan_is_whole_balanced_and_deterministic(self):
        items = self.plan["items"]
        single = json.loads((self.tmp / "single" / "batch.json").read_text(encoding="utf-8"))
        self.assertEqual([(i["path"], i["member"], i["sha256"]) for i in items],
                         [(i["path"], i["member"], i["sha256"]) for i in single["items"]])
        self.assertEqual([i["pages"] for i in items], [i["pages"] for i in single["items"]])
        for item in items:
            if item["member"] is None:
                self.assertEqual(item["size"], (self.inp / item["path"]).stat().st_size)
            self.assertGreater(item["size"], 0)
        shard_of = {}
        for item in items:  # a dossier is never split
            self.assertEqual(shard_of.setdefault(item["dossier"], item["shard"]), item["shard"], item["dossier"])
        pages = [s["pages"] for s in self.plan["shards"]]
        self.assertEqual(sum(pages), sum(i["pages"] for i in items))
        biggest = max(sum(i["pages"] for i in items if i["dossier"] == d) for d in shard_of)
        self.assertLessEqual(max(pages) - min(pages), biggest, pages)
        again = self.tmp / "again"
        sohoa("plan", self.inp, "-o", again, "--shards", SHARDS)
        self.assertEqual((again / "plan.json").read_bytes(), (self.out / "plan.json").read_bytes())

    def test_the_copy_is_in_another_shard(self):
        by_path = {i["path"]: i["shard"] for i in self.plan["items"]}
        self.assertNotEqual(by_path["HS-000128/thong-bao.jpg"], by_path["HS-000131/ban-sao-thong-bao.jpg"])

    def test_killed_shard_is_named_and_nothing_merged(self):
        self.assertEqual(self.kill_status, -signal.SIGKILL, "the shard finished before it could be killed")
        self.assertEqual(self.merge_after_kill.returncode, 7, self.merge_after_kill.stderr)
        self.assertIn(f"shard {self.victim} ", self.merge_after_kill.stderr)
        self.assertIn("did not finish", self.merge_after_kill.stderr)
        self.assertIn("incomplete", self.merge_after_kill.stderr)

    def test_rerun_kept_what_the_killed_run_finished(self):
        batch = json.loads((self.out / "shards" / str(self.victim) / "batch.json").read_text(encoding="utf-8"))
        self.assertGreater(batch["inputs_resumed"], 0)
        self.assertLess(batch["inputs_resumed"], batch["inputs"])

    def test_equals_single_machine_record_for_record(self):
        single, merged = records(self.tmp / "single"), self.records1
        self.assertEqual(sorted(single), sorted(merged))
        for rid in single:
            self.assertEqual(single[rid], merged[rid], rid)
        copy = [r for r in merged.values() if r["source"]["path"] == "HS-000131/ban-sao-thong-bao.jpg"]
        self.assertTrue(copy and all(r.get("duplicate_of") for r in copy))
        self.assertEqual(packages(self.tmp / "single"), self.packages1)
        self.assertEqual(len(self.packages1), len({i["dossier"] for i in self.plan["items"]}))
        a = json.loads((self.tmp / "single" / "batch.json").read_text(encoding="utf-8"))
        b = json.loads(self.batch1)
        for key in ("items", "errors", "inputs", "pages", "records"):
            self.assertEqual(a[key], b[key], key)
        sohoa("verify", self.out)

    def test_merging_again_changes_nothing(self):
        self.assertIn("(0 record folder(s) changed, 0 stale removed)", self.merge2.stdout)
        self.assertEqual(self.batch2, self.batch1)
        self.assertEqual(self.packages2, self.packages1)
        hits = json.loads(sohoa("search", self.out, "", "--json").stdout)
        self.assertEqual(len(hits), len(records(self.out)))

    def test_merge_after_one_shard_reran_makes_only_its_packages(self):
        n = len(self.packages1)
        self.assertIn(f"({n} made, 0 unchanged)", self.merge1.stdout)
        self.assertIn(f"(0 made, {n} unchanged)", self.merge2.stdout)
        mine = len(self.plan["shards"][self.redone]["dossiers"])
        self.assertGreater(mine, 0)
        self.assertIn(f"({mine} made, {n - mine} unchanged)", self.merge3.stdout)
        self.assertIn(f"({self.redone_records} record folder(s) changed, 0 stale removed)", self.merge3.stdout)
        theirs = {d + ".zip" for d in self.plan["shards"][self.redone]["dossiers"]}
        for name, digest in self.packages1.items():
            if name in theirs:
                self.assertNotEqual(self.packages3[name], digest, name)
            else:
                self.assertEqual(self.packages3[name], digest, name)
        sohoa("verify", self.out)

    def test_archive_gets_the_batch_once(self):
        n = len(self.packages1)
        self.assertIn(f"archive (sqlite): {n} package(s) added, 0 already there", self.merge1.stdout)
        self.assertIn(f"archive (sqlite): 0 package(s) added, {n} already there; 0 record(s) added", self.merge2.stdout)

    def broken_copy(self, name):
        copy = self.tmp / name
        shutil.copytree(self.out, copy)
        return copy

    def test_verify_of_a_shard_folder_accepts_duplicate_of_into_another_shard(self):
        shard = next(i["shard"] for i in self.plan["items"] if i["path"] == "HS-000131/ban-sao-thong-bao.jpg")
        folder = self.out / "shards" / str(shard)
        copies = [r for r in records(folder).values() if r["source"]["path"] == "HS-000131/ban-sao-thong-bao.jpg"]
        self.assertTrue(copies and all(r.get("duplicate_of") for r in copies))
        self.assertFalse(any((folder / "records" / r["duplicate_of"]).exists() for r in copies))
        proc = sohoa("verify", folder, codes=None)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # A reference to no record of any shard is still dangling, in a shard and in the merged OUT.
        for top, inner in ((self.broken_copy("dangling-shard"), Path("shards") / str(shard)), (self.broken_copy("dangling-out"), Path("."))):
            rid = copies[0]["id"]
            path = top / inner / "records" / rid / "record.json"
            rec = json.loads(path.read_text(encoding="utf-8"))
            rec["duplicate_of"] = "0123456789abcdef-p001-001"
            path.unlink()  # a hard link of the shard's: write a file of its own
            path.write_text(json.dumps(rec, ensure_ascii=False, indent=1), encoding="utf-8")
            proc = sohoa("verify", top / inner, codes=None)
            self.assertEqual(proc.returncode, 5, proc.stdout)
            self.assertIn(f"records/{rid}: duplicate_of 0123456789abcdef-p001-001 is not a record of this batch", proc.stdout)

    def test_failed_and_running_shards_are_named(self):
        copy = self.broken_copy("failed")
        (copy / "shards" / "2" / "shard.json").write_text('{"shard": 2, "state": "done", "exit": 1}')
        status = copy / "shards" / "0" / "shard.json"
        status.write_text('{"shard": 0, "state": "running", "exit": null}')
        with open(copy / "shards" / "0" / ".sohoa.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # as a live `sohoa run` holds it
            proc = sohoa("merge", copy, codes=None)
        self.assertEqual(proc.returncode, 7, proc.stderr)
        self.assertIn("shard 2 ", proc.stderr)
        self.assertIn("failed with exit status 1", proc.stderr)
        self.assertIn("shard 0 ", proc.stderr)
        self.assertIn("still running", proc.stderr)

    def test_input_changed_since_the_plan_is_named(self):
        copy = self.broken_copy("changed")
        plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
        plan["items"][0]["sha256"] = "0" * 64
        (copy / "plan.json").write_text(json.dumps(plan))
        proc = sohoa("merge", copy, codes=None)
        self.assertEqual(proc.returncode, 7, proc.stderr)
        self.assertIn(plan["items"][0]["path"] + " changed since the plan", proc.stderr)

    def test_missing_shard_is_named(self):
        copy = self.tmp / "missing"
        shutil.copytree(self.out, copy)
        shutil.rmtree(copy / "shards" / "1")
        before = (copy / "batch.json").read_bytes()
        proc = sohoa("merge", copy, codes=None)
        self.assertEqual(proc.returncode, 7, proc.stderr)
        self.assertIn("shard 1 ", proc.stderr)
        self.assertIn("missing", proc.stderr)
        self.assertEqual((copy / "batch.json").read_bytes(), before)

    def test_shard_index_required_and_checked(self):
        env = {k: v for k, v in os.environ.items() if k not in ("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX")}
        proc = subprocess.run([BIN, "run", "--plan", str(self.out / "plan.json")], capture_output=True, text=True, env=env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("which shard", proc.stderr)
        proc = sohoa("run", "--plan", self.out / "plan.json", "--shard", SHARDS, codes=None)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(f"shard {SHARDS} does not exist", proc.stderr)


if __name__ == "__main__":
    unittest.main()

"""A real single-node Slurm (slurmctld, slurmd, munge; no systemd) runs examples/slurm/sohoa-array.sbatch
as a 4-task array over the samples; one task is killed part-way and submitted again; the merge equals
one machine's run record for record and package for package. Skipped where Slurm is not installed
or the test is not root (the daemons are started here, as CI does)."""
import json
import os
import shutil
import socket
import subprocess
import time
import unittest
from pathlib import Path

from sohoa_run import BIN, ROOT, SAMPLES, fresh_dir, remove
from test_shards import EPOCH, packages, records, sohoa

SHARDS = 4
HAVE_SLURM = all(shutil.which(t) for t in ("slurmctld", "slurmd", "munged", "sbatch", "squeue", "scancel", "sinfo"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


@unittest.skipUnless(HAVE_SLURM and os.geteuid() == 0, "needs Debian's slurmctld, slurmd and munge, as root")
class Slurm(unittest.TestCase):
    @classmethod
    def start_slurm(cls):
        munge_pid = Path("/run/munge/munged.pid")
        if not (munge_pid.exists() and alive(int(munge_pid.read_text()))):
            Path("/run/munge").mkdir(exist_ok=True)
            shutil.chown("/run/munge", "munge", "munge")
            munge_pid.unlink(missing_ok=True)
            subprocess.run(["runuser", "-u", "munge", "--", "munged"], check=True)
            for _ in range(100):
                if munge_pid.exists() and munge_pid.read_text().strip():
                    break
                time.sleep(0.1)
            cls.started.append(int(munge_pid.read_text()))
        s = cls.tmp / "slurm"
        (s / "state").mkdir(parents=True)
        (s / "spool").mkdir()
        host = socket.gethostname().split(".")[0]
        node = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
        conf = f"""ClusterName=sohoatest
SlurmctldHost={host}
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={s}/state
SlurmdSpoolDir={s}/spool
SlurmctldPidFile={s}/slurmctld.pid
SlurmdPidFile={s}/slurmd.pid
SlurmctldLogFile={s}/slurmctld.log
SlurmdLogFile={s}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
EnforcePartLimits=ALL
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
{node}
PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""
        (s / "slurm.conf").write_text(conf)
        cls.env = dict(os.environ, SLURM_CONF=str(s / "slurm.conf"), SOHOA=BIN, SOURCE_DATE_EPOCH=EPOCH)
        for daemon, args in (("slurmctld", ["-c"]), ("slurmd", [])):
            subprocess.run([daemon, *args, "-f", str(s / "slurm.conf")], check=True)
            pidfile = s / f"{daemon}.pid"
            for _ in range(100):  # written by the forked daemon, a moment later
                if pidfile.exists() and pidfile.read_text().strip():
                    break
                time.sleep(0.1)
            cls.started.append(int(pidfile.read_text()))
        deadline = time.time() + 60
        while time.time() < deadline:
            out = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, env=cls.env).stdout.strip()
            if out == "idle":
                return
            time.sleep(0.5)
        raise AssertionError(f"slurm did not come up: sinfo says {out!r}")

    @classmethod
    def sbatch(cls, array, *extra):
        cmd = ["sbatch", "--parsable", f"--array={array}", "--cpus-per-task=1", "--mem=1G",
               f"--output={cls.tmp}/sohoa-%A_%a.log", *extra, str(ROOT / "examples/slurm/sohoa-array.sbatch"), str(cls.out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=cls.env)
        if proc.returncode != 0:
            raise AssertionError(f"{cmd}: {proc.stderr}")
        return proc.stdout.strip().split(";")[0]

    @classmethod
    def wait_gone(cls, job, timeout=900):
        deadline = time.time() + timeout
        while time.time() < deadline:
            q = subprocess.run(["squeue", "-h", "-j", job], capture_output=True, text=True, env=cls.env).stdout.strip()
            if not q:
                return
            time.sleep(1)
        raise AssertionError(f"job {job} still queued after {timeout} s")

    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("slurm")
        cls.started = []
        try:
            cls.run_all()
        except BaseException:
            cls.tearDownClass()  # unittest does not when setUpClass fails: stop the daemons anyway
            raise

    @classmethod
    def run_all(cls):
        cls.start_slurm()
        sohoa("run", SAMPLES / "scans", "-o", cls.tmp / "single", "-q", "-j", "2", codes=(0, 3))
        cls.out = cls.tmp / "out"
        sohoa("plan", SAMPLES / "scans", "-o", cls.out, "--shards", SHARDS)
        plan = json.loads((cls.out / "plan.json").read_text(encoding="utf-8"))
        cls.victim = max(range(SHARDS), key=lambda i: plan["shards"][i]["pages"])
        # One task per shard, two at a time (the %K concurrency limit).
        cls.job = cls.sbatch(f"0-{SHARDS - 1}%2")
        done = cls.out / "shards" / str(cls.victim) / "done"
        deadline = time.time() + 900
        while time.time() < deadline and not (done.is_dir() and any(done.iterdir())):
            time.sleep(0.1)
        cls.state_before_kill = json.loads((cls.out / "shards" / str(cls.victim) / "shard.json").read_text())
        subprocess.run(["scancel", "--signal=KILL", "--full", f"{cls.job}_{cls.victim}"], check=True, env=cls.env)
        cls.wait_gone(cls.job)
        cls.merge_after_kill = sohoa("merge", cls.out, codes=None)
        rerun = cls.sbatch(str(cls.victim), "--wait")
        cls.wait_gone(rerun)
        cls.merge = sohoa("merge", cls.out, codes=(0, 3))

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "env", None):
            subprocess.run(["scancel", "--full", "--signal=KILL", "-p", "debug"], capture_output=True, env=cls.env)
        for pid in reversed(cls.started):  # only what this test started
            try:
                os.kill(pid, 15)
            except OSError:
                pass
        remove(cls.tmp)

    def test_killed_task_was_part_way_and_named(self):
        self.assertEqual(self.state_before_kill["state"], "running", "the task had finished before the kill")
        self.assertEqual(self.merge_after_kill.returncode, 7, self.merge_after_kill.stderr)
        self.assertIn(f"shard {self.victim} ", self.merge_after_kill.stderr)

    def test_every_task_ran_under_slurm(self):
        for i in range(SHARDS):
            status = json.loads((self.out / "shards" / str(i) / "shard.json").read_text())
            self.assertEqual(status["state"], "done", i)
        logs = sorted(p.name for p in self.tmp.glob(f"sohoa-{self.job}_*.log"))
        self.assertEqual(len(logs), SHARDS, logs)

    def test_equals_single_machine(self):
        single, merged = records(self.tmp / "single"), records(self.out)
        self.assertEqual(sorted(single), sorted(merged))
        for rid in single:
            self.assertEqual(single[rid], merged[rid], rid)
        self.assertEqual(packages(self.tmp / "single"), packages(self.out))
        batch = json.loads((self.out / "shards" / str(self.victim) / "batch.json").read_text(encoding="utf-8"))
        self.assertGreater(batch["inputs_resumed"], 0)


if __name__ == "__main__":
    unittest.main()

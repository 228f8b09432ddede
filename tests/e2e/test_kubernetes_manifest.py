"""The Kubernetes Indexed Job of examples/kubernetes has never run on a cluster (none here): this
checks what can be checked without one. The manifest is YAML with what an Indexed Job needs, and
the pod's command line (the image's ENTRYPOINT and the container's args) is one `sohoa run --plan`
accepts: it is run here as the pod would run it, its index in JOB_COMPLETION_INDEX."""
import json
import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

import yaml

from sohoa_run import BIN, SAMPLES, fresh_dir, remove

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kubernetes"


class KubernetesManifest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = (EXAMPLES / "sohoa-indexed-job.yaml").read_text(encoding="utf-8")
        docs = list(yaml.safe_load_all(cls.text))
        cls.jobs = [d for d in docs if d and d.get("kind") == "Job"]
        cls.tmp = fresh_dir("k8s")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def test_an_indexed_job(self):
        self.assertEqual(len(self.jobs), 1)
        job = self.jobs[0]
        self.assertEqual(job["apiVersion"], "batch/v1")
        spec = job["spec"]
        self.assertEqual(spec["completionMode"], "Indexed")
        self.assertIsInstance(spec["completions"], int)
        self.assertGreaterEqual(spec["completions"], 1)
        self.assertIsInstance(spec["parallelism"], int)
        self.assertLessEqual(spec["parallelism"], spec["completions"])
        # backoffLimitPerIndex needs restartPolicy Never.
        pod = spec["template"]["spec"]
        self.assertEqual(pod["restartPolicy"], "Never")
        self.assertIn("backoffLimitPerIndex", spec)
        (container,) = pod["containers"]
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        self.assertEqual(set(mounts), {v["name"] for v in pod["volumes"]})
        # The plan the args name is on the shared volume.
        plan = container["args"][container["args"].index("--plan") + 1]
        self.assertTrue(any(plan.startswith(p.rstrip("/") + "/") for p in mounts.values()), plan)
        # completions is the plan's --shards, as the comment that makes the plan says.
        shards = re.findall(r"--shards (\d+)", self.text)
        self.assertTrue(shards)
        self.assertEqual({int(s) for s in shards}, {spec["completions"]})

    def test_the_pods_command_line_runs_a_shard(self):
        entry = re.search(r'^ENTRYPOINT \["([^"]+)"\]', (EXAMPLES / "Dockerfile").read_text(encoding="utf-8"), re.M)
        self.assertIsNotNone(entry)
        self.assertEqual(entry.group(1), "sohoa")
        args = list(self.jobs[0]["spec"]["template"]["spec"]["containers"][0]["args"])
        self.assertEqual(args[:2], ["run", "--plan"])
        inp, out = self.tmp / "in", self.tmp / "out"
        shutil.copytree(SAMPLES / "scans" / "HS-000128", inp / "HS-000128")
        subprocess.run([BIN, "plan", str(inp), "-o", str(out), "--shards", "2"], check=True, capture_output=True)
        args[2] = str(out / "plan.json")  # the volume's path, here
        env = {k: v for k, v in os.environ.items() if k != "SLURM_ARRAY_TASK_ID"}
        env["JOB_COMPLETION_INDEX"] = "0"
        proc = subprocess.run([BIN, *args], capture_output=True, text=True, env=env, timeout=900)
        self.assertIn(proc.returncode, (0, 3), proc.stderr)
        status = json.loads((out / "shards" / "0" / "shard.json").read_text(encoding="utf-8"))
        self.assertEqual((status["state"], status["shard"]), ("done", 0))
        self.assertTrue(any((out / "shards" / "0" / "records").iterdir()))


if __name__ == "__main__":
    unittest.main()

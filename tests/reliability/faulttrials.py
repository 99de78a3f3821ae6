#!/usr/bin/env python3
"""Randomized fault trials for stressd (issue 14).

Each trial starts one small attack (cpu, mem, disk, io, pause or kill) through the
one-shot CLI or a `stressd serve` agent, injects one fault at a random moment
(SIGKILL of the supervisor, the watchdog, both, or a worker; a full or
read-only state directory; an expired lease; or none), does what a user would
(nothing, or `stressd cleanup` / restarting the agent where the fault says so)
and then checks, with a bounded wait, that nothing of the attack is left:
worker or watchdog process, fill folder, stopped process, stressd cgroup,
ledger record, memory or disk space.

    faulttrials.py --trials 200                 # seeds 1..200
    faulttrials.py --seed 17                    # replay one trial
    faulttrials.py --trials 24 --first-seed 1000

The fault of a trial is FAULTS[seed % len(FAULTS)], so any run of
len(FAULTS) consecutive seeds covers every fault; the rest (kind, way in,
sizes, timing) comes from random.Random(seed). Exit 1 on any leftover.

Needs root (tmpfs mounts, cgroups); STRESSD_BIN names the binary. Only
signals processes the trial itself started (or that the trial's ledger
record names: the attack's own supervisor, watchdog and workers).
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import cgroups, leftovers, procs  # noqa: E402
from harness.serve import ServeAgent  # noqa: E402
from harness.tmpfs import MountError, mount  # noqa: E402

FAULTS = [
    "kill-supervisor",
    "kill-watchdog",
    "kill-both",
    "kill-worker",
    "fill-statefs",
    "readonly-statefs",
    "lease-expire",
    "deadline",
]

# Which attack kinds a fault makes sense for.
KINDS_FOR = {
    "kill-supervisor": ["cpu", "mem", "disk", "io", "pause", "kill"],
    "kill-watchdog": ["cpu", "mem", "disk", "io", "pause"],
    "kill-both": ["cpu", "mem", "disk", "io", "pause"],
    "kill-worker": ["cpu", "mem", "io"],
    "fill-statefs": ["cpu", "mem", "disk", "io", "pause"],
    "readonly-statefs": ["cpu", "mem", "disk", "io", "pause"],
    "lease-expire": ["cpu", "mem", "disk", "io", "pause", "kill"],
    "deadline": ["cpu", "mem", "disk", "io", "pause", "kill"],
}

MIB = 1024 * 1024
CLEAN_WAIT = 5.0          # the bounded wait for "all clean" after the reference moment
STARTUP_WAIT = 5.0        # for the ledger record / the agent to appear
STATEFS_SIZE = "8m"       # the small tmpfs a state directory may live on
DISKFS_SIZE = 96 * MIB    # the private tmpfs a fill may go to
DISK_FLOOR = "4M"         # policy floor for fills (the default 512M is more than a trial tmpfs has)
CONFIG = f'[policy]\ndisk-floor = "{DISK_FLOOR}"\n'


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------- host reads

def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable")


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def percentile(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


# ----------------------------------------------------------------- the trial

class TrialError(Exception):
    """The harness could not run the trial as planned (not a stressd leftover)."""


class Trial:
    def __init__(self, seed, binary, verbose=False):
        self.seed = seed
        self.binary = binary
        self.verbose = verbose
        self.rng = random.Random(seed)
        self.fault = FAULTS[seed % len(FAULTS)]
        self.kind = self.rng.choice(KINDS_FOR[self.fault])
        if self.fault == "lease-expire":
            self.via = "api"
        else:
            self.via = self.rng.choice(["cli", "api"])
        self.duration = self.rng.choice([1, 2, 3, 4])
        if self.fault == "lease-expire" and self.duration < 2:
            self.duration = 2     # room for the lease to run out first
        self.state_on_tmpfs = self.fault in ("fill-statefs", "readonly-statefs") or self.rng.random() < 0.25
        # remount: the state tmpfs read-only; bind: the ledger directory alone,
        # bind-mounted read-only on itself; chmod: 0500 on the ledger directory
        # (no obstacle to root, which stressd is here: a control).
        self.readonly_how = self.rng.choice(["remount", "bind", "chmod"]) if self.fault == "readonly-statefs" else None
        self.user_action = "nothing"
        if self.fault == "kill-both":
            self.user_action = "cleanup" if self.via == "cli" else self.rng.choice(["cleanup", "restart-agent"])
        elif self.fault == "kill-supervisor" and self.kind == "kill":
            # A kill has no watchdog (nothing to undo): its supervisor gone,
            # only a replay removes its record, as after kill-both.
            self.user_action = "cleanup" if self.via == "cli" else self.rng.choice(["cleanup", "restart-agent"])
        elif self.fault == "kill-supervisor" and self.via == "api":
            self.user_action = self.rng.choice(["nothing", "restart-agent"])
        elif self.fault == "readonly-statefs":
            self.user_action = "restore-then-cleanup"
        elif self.fault == "fill-statefs":
            self.user_action = "free-space-then-cleanup-if-needed"
        # parameters
        self.params = {}
        if self.kind == "cpu":
            self.params = {"load": self.rng.randint(5, 50), "cores": 1}
        elif self.kind == "mem":
            self.params = {"size": self.rng.choice([4, 8, 16, 32, 64])}
        elif self.kind == "disk":
            self.params = {"size": self.rng.choice([1, 4, 8, 16, 32]),
                           "fs": self.rng.choice(["tmpfs", "rootfs"])}
        elif self.kind == "io":
            self.params = {"size": self.rng.choice([4, 8, 16]), "read": self.rng.choice([0, 50, 100]),
                           "fs": self.rng.choice(["tmpfs", "rootfs"])}
        elif self.kind in ("pause", "kill"):
            self.params = {"select": self.rng.choice(["pid", "name"])}
        # The fault's moment, as a share of the duration after the start; one
        # trial in six strikes the moment the ledger record appears (before
        # the watchdog or the workers may be recorded).
        self.fault_frac = 0.0 if self.rng.random() < 1 / 6 else self.rng.uniform(0.1, 0.8)
        self.user_delay = self.rng.uniform(0.0, 0.8)
        # runtime
        self.root = None
        self.mounts = []
        self.started = []          # Popen objects this trial started
        self.supervisor_pids = set()
        self.agent = None          # the ServeAgent of an API trial
        self.record = None
        self.attack_id = None
        self.target = None
        self.notes = []
        self.result = None
        self.record_path = None
        self.record_left = None
        self.deadline_exact = False
        self.watchdog = None
        self.workers = []
        self.cgroups = []

    # --------------------------------------------------------------- helpers
    def describe(self):
        p = ",".join(f"{k}={v}" for k, v in self.params.items())
        return (f"seed={self.seed} fault={self.fault} kind={self.kind} via={self.via} "
                f"at={'record' if self.fault_frac == 0 else f'{self.fault_frac:.2f}'} "
                f"duration={self.duration}s {p} state={'tmpfs' if self.state_on_tmpfs else 'dir'}"
                f"{' readonly=' + self.readonly_how if self.readonly_how else ''} user={self.user_action}")

    def vlog(self, msg):
        if self.verbose:
            log(f"  [{self.seed}] {msg}")

    def popen(self, args, **kw):
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, **kw)
        self.started.append(p)
        return p

    def run_cmd(self, args, timeout=20):
        return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)

    def mount_tmpfs(self, path, size, mode="0700"):
        os.makedirs(path, exist_ok=True)
        try:
            mount(Path(path), size, mode)
        except MountError as e:
            raise TrialError(str(e))
        self.mounts.append(path)

    def common_flags(self):
        return ["--state-dir", self.state_dir, "--config", self.config]

    # --------------------------------------------------------------- set up
    def setup(self):
        self.root = tempfile.mkdtemp(prefix=f"stressd-trial-{self.seed}-")
        if self.state_on_tmpfs:
            self.statefs = os.path.join(self.root, "statefs")
            self.mount_tmpfs(self.statefs, STATEFS_SIZE)
            self.state_dir = os.path.join(self.statefs, "state")
        else:
            self.statefs = None
            self.state_dir = os.path.join(self.root, "state")
        self.config = os.path.join(self.root, "stressd.toml")
        with open(self.config, "w") as f:
            f.write(CONFIG)
        if self.kind in ("disk", "io"):
            self.disk_dir = os.path.join(self.root, "disk")
            if self.params["fs"] == "tmpfs":
                self.mount_tmpfs(self.disk_dir, str(DISKFS_SIZE), mode="0755")
            else:
                os.mkdir(self.disk_dir)
        else:
            self.disk_dir = None
        if self.kind in ("pause", "kill"):
            # A copy of sleep under a name of its own (comm: at most 15 chars).
            name = "rts%06d%s" % (self.seed % 1000000, "".join(self.rng.choice("abcdefghij") for _ in range(4)))
            exe = os.path.join(self.root, name)
            shutil.copy2(shutil.which("sleep"), exe)
            p = self.popen([exe, "300"])
            self.target = {"pid": p.pid, "name": name, "popen": p}
            t_end = time.monotonic() + 2
            while time.monotonic() < t_end:
                target = procs.read(p.pid)
                if target and target.argv and os.path.basename(target.argv[0]) == name:
                    break
                time.sleep(0.01)
        if self.via == "api":
            self.agent = ServeAgent(self.binary, Path(self.root) / "agent", config=CONFIG,
                                    state_dir=Path(self.state_dir), log_level="warning")
            self.start_agent()
        self.mem_before = mem_available()
        self.disk_before = free_bytes(self.disk_dir) if self.disk_dir else None

    def start_agent(self):
        """Starts the agent, or starts it again (a user's restart) on the same
        files and port."""
        try:
            self.agent.launch(within=STARTUP_WAIT)
        except RuntimeError as e:
            raise TrialError(str(e))
        self.supervisor_pids.add(self.agent.pid)

    # --------------------------------------------------------------- attack
    def spec_args(self):
        d = f"{self.duration}s"
        if self.kind == "cpu":
            return ["cpu", "--load", f"{self.params['load']}%", "--cores", "1", "--duration", d], \
                   {"kind": "cpu", "load": f"{self.params['load']}%", "cores": 1, "duration": d}
        if self.kind == "mem":
            return ["mem", "--size", f"{self.params['size']}M", "--duration", d], \
                   {"kind": "mem", "size": f"{self.params['size']}M", "duration": d}
        if self.kind == "disk":
            return ["disk", "--path", self.disk_dir, "--size", f"{self.params['size']}M", "--duration", d], \
                   {"kind": "disk", "path": self.disk_dir, "size": f"{self.params['size']}M", "duration": d}
        if self.kind == "io":
            size, read = f"{self.params['size']}M", f"{self.params['read']}%"
            return ["io", "--path", self.disk_dir, "--size", size, "--block-size", "4K", "--read", read, "--duration", d], \
                   {"kind": "io", "path": self.disk_dir, "size": size, "block-size": "4K", "read": read, "duration": d}
        sel = (["--pid", str(self.target["pid"])] if self.params["select"] == "pid"
               else ["--name", self.target["name"]])
        body = {"kind": self.kind, "duration": d}
        body.update({"pid": self.target["pid"]} if self.params["select"] == "pid" else {"name": self.target["name"]})
        return [self.kind] + sel + ["--duration", d], body

    def start_attack(self):
        args, body = self.spec_args()
        ledger = os.path.join(self.state_dir, "ledger")
        if self.via == "cli":
            self.cli_out = open(os.path.join(self.root, "cli.log"), "wb")
            self.cli = self.popen([self.binary] + args + ["--json"] + self.common_flags(),
                                  stdout=self.cli_out, stderr=subprocess.STDOUT)
            self.supervisor_pids.add(self.cli.pid)
            self.t_start = time.monotonic()
            # The id is the record's name: wait for it.
            deadline = time.monotonic() + STARTUP_WAIT
            while time.monotonic() < deadline:
                names = [n for n in (os.listdir(ledger) if os.path.isdir(ledger) else []) if n.endswith(".json")]
                if names:
                    self.attack_id = names[0][:-5]
                    break
                if self.cli.poll() is not None:
                    raise TrialError(f"one-shot exited {self.cli.returncode} before a record appeared: "
                                     + open(os.path.join(self.root, "cli.log"), errors="replace").read()[-800:])
                time.sleep(0.005)
            else:
                raise TrialError("no ledger record appeared")
        else:
            if self.fault == "lease-expire":
                self.lease = 1.0
                body["lease"] = "1s"
            elif self.rng.random() < 0.4:
                body["lease"] = f"{self.duration + 5}s"   # a lease that never runs out first
            self.t_start = time.monotonic()
            status, resp = self.agent.api("POST", "/v1/attacks", body, timeout=5)
            if status != 201:
                raise TrialError(f"POST /v1/attacks: {status} {resp}")
            self.attack_id = resp["id"]
        self.record_path = os.path.join(ledger, f"{self.attack_id}.json")
        self.t_deadline = self.t_start + self.duration

    def read_record(self):
        try:
            with open(self.record_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def wait_record(self, need_watchdog, need_workers):
        """The record once it names what the fault needs (the watchdog, a worker)."""
        deadline = time.monotonic() + STARTUP_WAIT
        last = None
        while time.monotonic() < deadline:
            rec = self.read_record()
            if rec is not None:
                last = rec
                ok = (not need_watchdog or rec.get("watchdog")) and (not need_workers or rec.get("workers"))
                if ok:
                    return rec
            elif last is not None:
                return last      # gone already (attack ended)
            time.sleep(0.005)
        return last

    def refine_deadline(self):
        """The attack's own deadline on CLOCK_MONOTONIC (Python's
        time.monotonic), read from its watchdog's `--until` (deadline + 3 s)
        or a worker's `--deadline` (deadline + 1 s); until one is seen, the
        start of the request plus the duration (stressd's start-up later)."""
        if self.deadline_exact:
            return
        for ident, flag, slack in ([(self.watchdog, "--until", 3.0)] if self.watchdog else []) + \
                [(w, "--deadline", 1.0) for w in self.workers]:
            proc = procs.read(ident["pid"])
            args = proc.argv if proc else []
            if flag in args and procs.running(ident["pid"], ident["startTime"]):
                i = args.index(flag)
                try:
                    self.t_deadline = int(args[i + 1]) / 1e9 - slack
                    self.deadline_exact = True
                    return
                except (IndexError, ValueError):
                    pass

    # --------------------------------------------------------------- faults
    def kill_identity(self, ident, what):
        """SIGKILL a process the trial's record names, if it is still that process."""
        if ident and procs.running(ident["pid"], ident["startTime"]):
            try:
                os.kill(ident["pid"], signal.SIGKILL)
                self.vlog(f"SIGKILL {what} {ident['pid']}")
                return True
            except ProcessLookupError:
                pass
        self.notes.append(f"{what} already gone at the fault")
        return False

    def kill_supervisor(self):
        if self.via == "cli":
            p = self.cli
        else:
            p = self.agent.proc
        if p.poll() is None:
            p.kill()
            self.vlog(f"SIGKILL supervisor {p.pid}")
        else:
            self.notes.append("supervisor already gone at the fault")
        p.wait()

    def fill_statefs(self):
        """Fills the state directory's tmpfs with one file, to the last block."""
        filler = os.path.join(self.statefs, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (MIB, 4096, 512):
                chunk = b"\0" * size
                try:
                    while True:
                        os.write(fd, chunk)
                except OSError:
                    pass
        finally:
            os.close(fd)
        self.vlog(f"state fs full: {free_bytes(self.statefs)} bytes free")

    def make_readonly(self):
        if self.readonly_how == "chmod":
            os.chmod(os.path.join(self.state_dir, "ledger"), 0o500)
            self.vlog("chmod 0500 ledger")
        elif self.readonly_how == "bind":
            ledger = os.path.join(self.state_dir, "ledger")
            r = self.run_cmd(["mount", "--bind", ledger, ledger])
            if r.returncode != 0:
                raise TrialError(f"bind mount: {r.stderr.strip()}")
            self.mounts.append(ledger)
            r = self.run_cmd(["mount", "-o", "remount,bind,ro", ledger])
            if r.returncode != 0:
                raise TrialError(f"remount bind ro: {r.stderr.strip()}")
            self.vlog("ledger directory bind-mounted read-only")
        else:
            r = self.run_cmd(["mount", "-o", "remount,ro", self.statefs])
            if r.returncode != 0:
                raise TrialError(f"remount ro: {r.stderr.strip()}")
            self.vlog("state fs remounted read-only")

    def restore_statefs(self):
        if self.fault == "readonly-statefs":
            if self.readonly_how == "chmod":
                os.chmod(os.path.join(self.state_dir, "ledger"), 0o700)
            elif self.readonly_how == "bind":
                ledger = os.path.join(self.state_dir, "ledger")
                if self.run_cmd(["umount", ledger]).returncode == 0:
                    self.mounts.remove(ledger)
            else:
                self.run_cmd(["mount", "-o", "remount,rw", self.statefs])
        elif self.fault == "fill-statefs":
            try:
                os.unlink(os.path.join(self.statefs, "filler"))
            except FileNotFoundError:
                pass

    def inject(self):
        """Waits for the random moment, injects the fault; returns the
        reference time from which the undo is timed."""
        need_wd = self.fault in ("kill-watchdog", "kill-both")
        need_workers = self.fault == "kill-worker"
        if self.fault_frac == 0 and not (need_wd or need_workers):
            self.record = self.read_record() or self.wait_record(False, False)
        else:
            self.record = self.wait_record(need_wd, need_workers)
        if self.record is None:
            raise TrialError("no ledger record to read")
        self.cgroups = list(self.record.get("cgroups", []))
        self.watchdog = self.record.get("watchdog")
        self.workers = list(self.record.get("workers", []))
        self.fill_dirs = [d["path"] for d in self.record.get("fillDirectories", [])]
        self.refine_deadline()
        if self.fault == "deadline":
            return None     # the deadline itself, once known exactly
        if self.fault == "lease-expire":
            return self.t_start + self.lease
        if self.fault_frac > 0:
            t_fault = self.t_start + self.fault_frac * self.duration
            time.sleep(max(0.0, t_fault - time.monotonic()))
        # The record as it is now (more workers, a watchdog).
        rec = self.read_record()
        if rec:
            self.record = rec
            self.cgroups = sorted(set(self.cgroups) | set(rec.get("cgroups", [])))
            self.watchdog = rec.get("watchdog") or self.watchdog
            self.workers = rec.get("workers", []) or self.workers
            self.fill_dirs = sorted(set(self.fill_dirs) | {d["path"] for d in rec.get("fillDirectories", [])})
        else:
            self.notes.append("record gone before the fault")
        self.refine_deadline()
        now = time.monotonic()
        if self.fault == "kill-supervisor":
            self.kill_supervisor()
        elif self.fault == "kill-watchdog":
            self.kill_identity(self.watchdog, "watchdog")
        elif self.fault == "kill-both":
            self.kill_identity(self.watchdog, "watchdog")
            self.kill_supervisor()
        elif self.fault == "kill-worker":
            if self.workers:
                self.kill_identity(self.rng.choice(self.workers), "worker")
            else:
                self.notes.append("no worker recorded")
        elif self.fault == "fill-statefs":
            self.fill_statefs()
        elif self.fault == "readonly-statefs":
            self.make_readonly()
        return now

    # --------------------------------------------------------------- checks
    def leftovers(self, check_record=True):
        """What of this trial's attack is still there (empty: all clean)."""
        found = []
        rec = self.read_record()
        if rec:     # what the record names by now (workers added after the fault)
            self.workers += [w for w in rec.get("workers", []) if w not in self.workers]
            self.cgroups = sorted(set(self.cgroups) | set(rec.get("cgroups", [])))
            self.watchdog = rec.get("watchdog") or self.watchdog
            self.refine_deadline()
        recorded = [i for i in self.workers] + ([self.watchdog] if self.watchdog else [])
        for ident in recorded:
            proc = procs.running(ident["pid"], ident["startTime"])
            if proc:
                found.append(f"process {ident['pid']} still running: {proc.cmdline[:160]}")
        recorded_pids = {i["pid"] for i in recorded}
        sup = {str(p) for p in self.supervisor_pids}
        for entry, proc in procs.snapshot().items():
            args = proc.argv
            if entry in recorded_pids or len(args) < 2 or args[1] not in ("worker", "watchdog"):
                continue
            mine = self.state_dir in args or (self.attack_id and self.attack_id in args)
            if "--parent" in args:
                i = args.index("--parent")
                mine = mine or (i + 1 < len(args) and args[i + 1] in sup)
            if "--supervisor" in args:
                i = args.index("--supervisor")
                mine = mine or (i + 1 < len(args) and args[i + 1].split(":")[0] in sup)
            if mine:
                found.append(f"process {entry} still running: {' '.join(args)[:160]}")
        if self.disk_dir:
            found += leftovers.fill_files([self.disk_dir])
            free = free_bytes(self.disk_dir)
            tol = 1 * MIB if self.params["fs"] == "tmpfs" else 512 * MIB
            if free < self.disk_before - tol:
                found.append(f"disk free {free // MIB} MiB, was {self.disk_before // MIB} MiB before")
        if self.target and self.kind == "pause":
            target = procs.read(self.target["pid"])
            if target and target.state == "T":
                found.append(f"pause target {self.target['pid']} still stopped")
        for cg in set(self.cgroups) | cgroups.places(self.attack_id):
            if os.path.isdir(cg):
                found.append(f"cgroup {cg} still exists")
        if check_record and os.path.exists(self.record_path):
            found.append(f"ledger record {self.record_path} still exists")
        avail = mem_available()
        tol = max(64 * MIB, self.mem_before // 10)
        if avail < self.mem_before - tol:
            found.append(f"MemAvailable {avail // MIB} MiB, was {self.mem_before // MIB} MiB before")
        return found

    def wait_clean(self, until, check_record=True):
        while True:
            found = self.leftovers(check_record)
            if not found:
                return time.monotonic(), []
            if time.monotonic() >= until:
                return None, found
            time.sleep(0.02)

    def user_cleanup(self):
        r = self.run_cmd([self.binary, "cleanup", "--json"] + self.common_flags())
        self.vlog(f"stressd cleanup: exit {r.returncode}")
        self.notes.append(f"cleanup exit {r.returncode}")
        if r.returncode not in (0, 1):
            self.notes.append(f"cleanup said: {(r.stdout + r.stderr).strip()[:300]}")

    # --------------------------------------------------------------- run
    def run(self):
        t_ref = None
        failure = []
        t_clean = None
        try:
            self.setup()
            self.start_attack()
            t_ref = self.inject()
            # The user.
            if self.user_action in ("cleanup", "restart-agent"):
                time.sleep(self.user_delay)
                if self.user_action == "cleanup":
                    self.user_cleanup()
                else:
                    self.start_agent()
            # The wait: every undo layer has had its chance by the deadline (or
            # the fault, if later) plus CLEAN_WAIT.
            until = max(t_ref or 0.0, self.t_deadline) + CLEAN_WAIT
            if self.fault == "readonly-statefs":
                # The record cannot go while its directory is read-only: the
                # rest must; then the user makes it writable and runs cleanup.
                t_clean, failure = self.wait_clean(until, check_record=False)
                if not failure:
                    self.restore_statefs()
                    if os.path.exists(self.record_path):
                        self.notes.append("record left while read-only")
                        self.user_cleanup()
                    t2, failure = self.wait_clean(time.monotonic() + CLEAN_WAIT)
            elif self.fault == "fill-statefs":
                t_clean, failure = self.wait_clean(until)
                if failure:
                    # What a user does with a full disk: free space, run cleanup.
                    self.notes.append("not clean while full: " + "; ".join(failure))
                    self.restore_statefs()
                    self.user_cleanup()
                    t_clean, failure2 = self.wait_clean(time.monotonic() + CLEAN_WAIT)
                    if not failure2:
                        failure = ["only clean after the user freed space and ran cleanup: " + "; ".join(failure)]
                    else:
                        failure = failure2
            else:
                t_clean, failure = self.wait_clean(until)
        except Exception as e:
            failure = None
            if not isinstance(e, TrialError):
                import traceback
                e = f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
            self.result = {"seed": self.seed, "fault": self.fault, "kind": self.kind, "via": self.via,
                           "status": "harness-error", "error": str(e), "notes": self.notes,
                           "describe": self.describe()}
        finally:
            if failure:
                self.record_left = self.read_record() if self.record_path else None
            self.collect_outputs()
            self.read_report()
            if failure and self.root:
                logs = sorted(Path(self.root).glob("*.log")) + ([self.agent.log_path] if self.agent else [])
                self.logs = {path.name: path.read_text(errors="replace")[-2000:] for path in logs}
            harness_leftover = self.teardown()
        if self.result is None:
            res = {"seed": self.seed, "fault": self.fault, "kind": self.kind, "via": self.via,
                   "describe": self.describe(), "notes": self.notes, "id": self.attack_id,
                   "record": self.record, "report": self.report}
            if failure:
                res["status"] = "leftover"
                res["leftovers"] = failure
                res["record_left"] = self.record_left
                res["logs"] = getattr(self, "logs", {})
            else:
                if t_ref is None:
                    t_ref = self.t_deadline
                res["status"] = "clean"
                res["deadline_exact"] = self.deadline_exact
                res["time_to_clean"] = round(t_clean - t_ref, 3)
                res["past_deadline"] = round(t_clean - self.t_deadline, 3)
            self.result = res
        if harness_leftover:
            self.result["harness_teardown"] = harness_leftover
        return self.result

    def read_report(self):
        """Who undid the attack and how it ended, from its report, if one was written."""
        self.report = None
        if not self.attack_id:
            return
        path = os.path.join(self.state_dir, "reports", f"{self.attack_id}.json")
        deadline = time.monotonic() + 1.0     # the agent writes it just after the undo
        while True:
            try:
                with open(path) as f:
                    rep = json.load(f)
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline:
                    return
                time.sleep(0.02)
        cleanup = rep.get("cleanup") or {}
        outcome = rep.get("outcome")
        if isinstance(outcome, dict):
            outcome = outcome.get("status")
        self.report = {"undoneBy": cleanup.get("undoneBy"), "outcome": outcome,
                       "leftovers": cleanup.get("leftovers") or []}

    def collect_outputs(self):
        if self.via == "cli" and getattr(self, "cli", None) is not None:
            try:
                self.cli.wait(timeout=max(0.1, self.t_deadline + 6 - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.notes.append("one-shot still running after its deadline + 6 s")
            except Exception:
                pass

    def teardown(self):
        """Whatever happened: stop what the trial started, unmount, remove."""
        problems = self.agent.stop(grace=8) if self.agent else []
        for p in reversed(self.started):
            if p.poll() is None:
                p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                problems.append(f"process {p.pid} did not exit after SIGKILL")
        # The trial's own attack processes, if a failed check left any.
        for ident in (self.workers if hasattr(self, "workers") else []) + \
                ([self.watchdog] if getattr(self, "watchdog", None) else []):
            if procs.running(ident["pid"], ident["startTime"]):
                try:
                    os.kill(ident["pid"], signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.target and procs.read(self.target["pid"]):
            try:
                os.kill(self.target["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.attack_id:
            for cg in cgroups.left(self.attack_id):
                try:
                    os.rmdir(cg)
                except OSError as e:
                    problems.append(f"cannot remove {cg}: {e}")
        for m in reversed(self.mounts):
            r = subprocess.run(["umount", m], capture_output=True, text=True)
            if r.returncode != 0:
                r = subprocess.run(["umount", "-l", m], capture_output=True, text=True)
                problems.append(f"umount {m} needed -l")
        if self.root:
            if self.fault == "readonly-statefs" and self.readonly_how == "chmod":
                try:
                    os.chmod(os.path.join(self.state_dir, "ledger"), 0o700)
                except OSError:
                    pass
            shutil.rmtree(self.root, ignore_errors=True)
        return problems


# ----------------------------------------------------------------- summary

def summarize(results, out=sys.stdout):
    leftovers = [r for r in results if r["status"] == "leftover"]
    errors = [r for r in results if r["status"] == "harness-error"]
    print(f"\n{'fault':<18}{'n':>4}{'clean':>7}  {'to clean p50':>12}{'max':>8}  {'past deadline p50':>17}{'max':>8}  undone by (report)", file=out)
    for fault in FAULTS:
        rs = [r for r in results if r["fault"] == fault]
        if not rs:
            continue
        clean = [r for r in rs if r["status"] == "clean"]
        t = [r["time_to_clean"] for r in clean]
        # Past the deadline: only where the attack's own deadline was read
        # (a kill has no watchdog and no worker to read it from).
        d = [r["past_deadline"] for r in clean if r.get("deadline_exact")]
        by = {}
        for r in rs:
            layer = (r.get("report") or {}).get("undoneBy") or "no report"
            by[layer] = by.get(layer, 0) + 1
        print(f"{fault:<18}{len(rs):>4}{len(clean):>7}  {percentile(t, .5):>11.3f}s{max(t, default=float('nan')):>7.3f}s"
              f"  {percentile(d, .5):>16.3f}s{max(d, default=float('nan')):>7.3f}s  "
              + ", ".join(f"{k} {v}" for k, v in sorted(by.items())), file=out)
    for r in leftovers:
        print(f"LEFTOVER seed={r['seed']} ({r['describe']}) id={r.get('id')}", file=out)
        for item in r["leftovers"]:
            print(f"    {item}", file=out)
        if r.get("notes"):
            print(f"    notes: {'; '.join(r['notes'])}", file=out)
        if r.get("record_left"):
            print(f"    record left: {json.dumps(r['record_left'], sort_keys=True)}", file=out)
        elif r.get("record"):
            print(f"    record at the fault: {json.dumps(r['record'], sort_keys=True)}", file=out)
        print(f"    replay: {sys.argv[0]} --seed {r['seed']} -v", file=out)
    for r in errors:
        print(f"HARNESS-ERROR seed={r['seed']} ({r['describe']}): {r['error']}", file=out)
    print(f"{len(results)} trials, {len(leftovers)} leftovers"
          + (f", {len(errors)} harness errors" if errors else ""), file=out)
    return len(leftovers), len(errors)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, help="run this one trial")
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=28 * 60, help="stop starting trials after this many seconds")
    ap.add_argument("--kind", help="run only the trials (of the seeds given) whose attack is of this kind")
    ap.add_argument("--json", help="write every trial's result here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    binary = os.environ.get("STRESSD_BIN")
    if not binary or not os.access(binary, os.X_OK):
        print("STRESSD_BIN must name the stressd binary", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("fault trials need root (tmpfs mounts, cgroups)", file=sys.stderr)
        return 2
    seeds = [args.seed] if args.seed is not None else list(range(args.first_seed, args.first_seed + args.trials))
    if args.kind:
        seeds = [seed for seed in seeds if Trial(seed, binary).kind == args.kind]
    results = []
    t0 = time.monotonic()
    for seed in seeds:
        if time.monotonic() - t0 > args.time_limit:
            print(f"time limit reached after {len(results)} trials", file=sys.stderr)
            break
        trial = Trial(seed, binary, verbose=args.verbose)
        res = trial.run()
        results.append(res)
        status = res["status"]
        extra = f" {res['time_to_clean']:.3f}s" if status == "clean" else ""
        log(f"[{len(results)}/{len(seeds)}] {res['describe']} -> {status}{extra}"
            + (f" ({'; '.join(res.get('leftovers') or [res.get('error', '')])})" if status != "clean" else ""))
        if args.verbose and res.get("notes"):
            log(f"    notes: {'; '.join(res['notes'])}")
        if res.get("harness_teardown"):
            log(f"    harness teardown: {res['harness_teardown']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, default=str)
    left, errors = summarize(results)
    print(f"elapsed {time.monotonic() - t0:.0f}s")
    if len(results) < len(seeds):
        print(f"only {len(results)} of {len(seeds)} trials ran within --time-limit {args.time_limit:.0f}s")
        return 1
    return 1 if left or errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""The differential run: two spikelite servers, one worker per client, generated sequences.

`run(budget_s)` starts a fresh spikelite per client (so both see the same, empty state),
a worker in `.venvs/official` and one in `.venvs/purespike`, draws call sequences with
hypothesis until the time budget is spent, runs each sequence in both workers, and
compares every step's outcome and then the records left in the sequence's set. Returns a
`Report`. A worker that dies or hangs is recorded as that step's outcome and restarted.

Standalone: `python tests/differential/driver.py [--budget SECONDS] [--verbose]`.
"""

from __future__ import annotations

import argparse
import fnmatch
import itertools
import os
import pickle
import re
import secrets
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import strategies  # noqa: E402

WORKER = os.path.join(HERE, "worker.py")
ALLOWLIST = os.path.join(HERE, "allowlist.txt")
CONFIG = os.path.join(REPO, "tests", "spikelite.conf")
VENVS = {"official": os.path.join(REPO, ".venvs", "official", "bin", "python"),
         "purespike": os.path.join(REPO, ".venvs", "purespike", "bin", "python")}
STEP_TIMEOUT_S = 20.0
DEFAULT_BUDGET_S = 100.0
BUDGET_ENV = "SPIKELITE_DIFF_BUDGET"
#: Seed of the generated sequences: an int (the same sequences every run: what ./dev test uses)
#: or "random" (new sequences each run, for longer explorations).
SEED_ENV = "SPIKELITE_DIFF_SEED"
#: Batches of 200 sequences to run at most; ./dev test runs a fixed number, so what it checks is the
#: same on a fast machine and a slow one.
BATCHES_ENV = "SPIKELITE_DIFF_BATCHES"
CI_BATCHES = 30


def batches_from(value):
    """None (no limit) for an unset or empty value, else the int."""
    return int(value) if value not in (None, "") else None
DEFAULT_SEED = "0"


def seed_from(text: str):
    return None if text == "random" else int(text)


# -- servers -------------------------------------------------------------------------------------

class Server:
    """A spikelite child process on a free loopback port."""

    def __init__(self, workdir):
        self.log = open(os.path.join(workdir, "spikelite-%s.log" % secrets.token_hex(3)), "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spikelite", "--host", "127.0.0.1", "--port", "0", "--config", CONFIG],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log,
            env=dict(os.environ, PYTHONUNBUFFERED="1"))
        deadline = time.monotonic() + 30
        while True:
            line = self.proc.stdout.readline().decode("utf-8", "replace")
            match = re.search(r"spikelite listening on (\S+):(\d+)", line)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
                break
            if not line or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("spikelite did not start (see %s)" % self.log.name)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc.stdout.close()
        self.log.close()


# -- workers -------------------------------------------------------------------------------------

class WorkerGone(Exception):
    def __init__(self, outcome):
        super().__init__(outcome)
        self.outcome = outcome


class Worker:
    """A worker process in one venv, talking to its own server."""

    def __init__(self, name, server, workdir):
        self.name, self.server, self.workdir = name, server, workdir
        self.proc = None
        self.start()

    def start(self):
        self.stderr = open(os.path.join(self.workdir, "worker-%s.log" % self.name), "ab")
        self.proc = subprocess.Popen([VENVS[self.name], WORKER], cwd=self.workdir, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.buf = b""
        self.send(("setup", self.server.host, self.server.port))
        self.recv(60)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        if self.proc:
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.stderr.close()
        self.proc = None

    def restart(self):
        self.stop()
        self.start()

    def send(self, obj):
        data = pickle.dumps(obj, protocol=4)
        try:
            self.proc.stdin.write(struct.pack(">I", len(data)) + data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerGone(self._death()) from None

    def _death(self):
        try:
            rc = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            return ("hung",)
        return ("crashed", signal.Signals(-rc).name if rc < 0 else "exit %d" % rc)

    def _fill(self, n, deadline):
        fd = self.proc.stdout.fileno()
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self.proc.kill()
                self.proc.wait(5)
                raise WorkerGone(("hung",))
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise WorkerGone(self._death())
            self.buf += chunk

    def recv(self, timeout=STEP_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        self._fill(4, deadline)
        (n,) = struct.unpack(">I", self.buf[:4])
        self._fill(4 + n, deadline)
        data, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
        msg = pickle.loads(data)
        if msg[0] == "error":
            raise RuntimeError("worker %s failed:\n%s" % (self.name, msg[1]))
        return msg

    def results(self, nsteps):
        """Outcomes of the sequence just sent: one per step, shorter if the worker died."""
        outcomes = []
        try:
            while True:
                msg = self.recv()
                if msg[0] == "done":
                    return outcomes, True
                outcomes.append(msg[2])
        except WorkerGone as gone:
            if len(outcomes) < nsteps:
                outcomes.append(gone.outcome)
            return outcomes, False


# -- comparing -----------------------------------------------------------------------------------

def same(a, b) -> bool:
    """Equal, except that TTLs (records written ms apart on two servers) may differ by 2 s."""
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == 2 and a[:1] == b[:1] == ("~ttl",):
        return abs(a[1] - b[1]) <= 2
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def brief(outcome) -> str:
    """One line for an outcome; the allowlist's patterns match this text."""
    kind = outcome[0]
    if kind == "returned":
        text = "ok:" + repr(outcome[1])
        return text + (" calls=%r" % (outcome[2],) if outcome[2] else "")
    if kind == "raised":
        _, cls, attrs = outcome[1]
        values = dict(attrs)
        if "text" in values:
            return "exc:%s:%s" % (cls, values["text"])
        extra = ",".join("%s=%r" % (k, v) for k, v in attrs if k not in ("code", "msg"))
        return "exc:%s:%s:%s:%s" % (cls, values.get("code"), values.get("msg"), extra)
    if kind == "crashed":
        return "crash:%s" % outcome[1]
    return kind


def short(text, n=300):
    return text if len(text) <= n else text[:n] + "...(%d chars)" % len(text)


@dataclass
class Entry:
    call: str
    official: str
    purespike: str
    reason: str
    used: int = 0


def load_allowlist(path=ALLOWLIST):
    """`call-shape-glob | official-outcome-glob | purespike-outcome-glob | reason` per line."""
    entries = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ", 3)]
            if len(parts) != 4 or not parts[3]:
                raise ValueError("%s:%d: want 'call | official | purespike | reason'" % (path, lineno))
            entries.append(Entry(*parts))
    return entries


def listed(entries, call, official, purespike):
    for e in entries:
        if (fnmatch.fnmatchcase(call, e.call) and fnmatch.fnmatchcase(official, e.official)
                and fnmatch.fnmatchcase(purespike, e.purespike)):
            e.used += 1
            return e
    return None


@dataclass
class Divergence:
    call: str
    step: tuple
    official: str
    purespike: str
    entry: Entry | None

    def key(self):
        def head(text):
            return ":".join(text.split(":")[:2]) if text.startswith("exc:") else text.split(":")[0]
        return (self.call.split("(")[0], head(self.official), head(self.purespike))


@dataclass
class Report:
    sequences: int = 0
    calls: int = 0
    shapes: set = field(default_factory=set)
    crashes: dict = field(default_factory=dict)
    divergences: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)

    @property
    def unlisted(self):
        return [d for d in self.divergences if d.entry is None]

    def text(self, verbose=False) -> str:
        lines = ["differential run: %d sequences, %d calls tried, %d distinct call shapes, "
                 "%d divergences (%d listed in allowlist.txt, %d unlisted)"
                 % (self.sequences, self.calls, len(self.shapes), len(self.divergences),
                    len(self.divergences) - len(self.unlisted), len(self.unlisted))]
        for who, names in sorted(self.missing.items()):
            if names:
                lines.append("callables only in %s: %s" % (who, ", ".join(sorted(names))))
        for who, n in sorted(self.crashes.items()):
            lines.append("%s worker crashed or hung %d times" % (who, n))
        groups = {}
        for d in self.divergences:
            if d.entry is None or verbose:
                groups.setdefault(d.key(), []).append(d)
        for key, ds in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            d = ds[0]
            lines.append("%s %dx %s" % ("LISTED" if d.entry else "UNLISTED", len(ds), " / ".join(key)))
            lines.append("    call:      %s" % short(repr(d.step[1:4]), 600))
            lines.append("    official:  %s" % short(d.official))
            lines.append("    purespike: %s" % short(d.purespike))
            if d.entry:
                lines.append("    reason:    %s" % d.entry.reason)
        return "\n".join(lines)


# -- the run -------------------------------------------------------------------------------------

def merged_catalog(official, purespike):
    """Every callable either client has: (holder, name, params); official params win."""
    ours = {(h, n): p for h, n, p in purespike}
    theirs = {(h, n): p for h, n, p in official}
    names = sorted(set(ours) | set(theirs))
    return [(h, n, theirs.get((h, n)) or ours.get((h, n))) for h, n in names], \
        {"official": {"%s.%s" % k for k in set(theirs) - set(ours)},
         "purespike": {"%s.%s" % k for k in set(ours) - set(theirs)}}


class Differ:
    def __init__(self, workdir):
        self.workdir = workdir
        self.allowlist = load_allowlist()  # before starting anything, so a bad file leaks nothing
        self.report = Report()
        self.tag = secrets.token_hex(2)
        self.counter = itertools.count(1)
        self.servers = {}
        self.workers = {}
        try:
            for name in VENVS:
                self.servers[name] = Server(workdir)
                self.workers[name] = Worker(name, self.servers[name], workdir)
            cats = {}
            for name, w in self.workers.items():
                w.send(("catalog",))
                cats[name] = w.recv(60)[1]
        except BaseException:
            self.close()
            raise
        self.catalog, self.report.missing = merged_catalog(cats["official"], cats["purespike"])

    def close(self):
        for w in self.workers.values():
            w.stop()
        for server in self.servers.values():
            server.stop()

    def new_set(self):
        return "d%s_%d" % (self.tag, next(self.counter))

    def run_sequence(self, steps, set_name):
        rep = self.report
        rep.sequences += 1
        results = {}
        for name, w in self.workers.items():
            try:
                w.send(("run", steps))
            except WorkerGone as gone:
                results[name] = ([gone.outcome], False)
        for name, w in self.workers.items():
            if name not in results:
                results[name] = w.results(len(steps))
        clean = True
        for name, (_, finished) in results.items():
            if not finished:
                rep.crashes[name] = rep.crashes.get(name, 0) + 1
                clean = False
        if not clean:  # a dead worker lost its global state: restart both
            for w in self.workers.values():
                w.restart()
        off, pure = results["official"][0], results["purespike"][0]
        for i, step in enumerate(steps):
            if i >= len(off) or i >= len(pure):
                break
            rep.calls += 1
            call = strategies.shape(step)
            rep.shapes.add(call)
            if same(off[i], pure[i]):
                continue
            a, b = brief(off[i]), brief(pure[i])
            rep.divergences.append(Divergence(call, step, a, b, listed(self.allowlist, call, a, b)))
            return  # later steps depend on this one
        if clean:
            self.compare_records(steps, set_name)

    def compare_records(self, steps, set_name):
        dumper = self.workers["official"]
        records = {}
        for name, server in self.servers.items():
            try:
                dumper.send(("dump", server.host, server.port, strategies.NS, set_name))
                records[name] = dumper.recv(60)[1]
            except WorkerGone:
                dumper.restart()
                return
        if records["official"] != records["purespike"]:
            call = "records after " + ";".join("%s.%s" % (s[4], s[1]) for s in steps)
            a, b = repr(records["official"]), repr(records["purespike"])
            self.report.divergences.append(
                Divergence(call, (None, "records", (), {}, set_name), a, b, listed(self.allowlist, call, a, b)))


def run(budget_s: float, batch: int = 200, max_steps: int = 6, base_seed=0, max_batches=None) -> Report:
    """Sequences until `budget_s` is spent or `max_batches` batches of `batch` sequences ran;
    `base_seed` None draws new sequences each run. With a seed and `max_batches` the sequences do
    not depend on the machine's speed (the budget then only cuts a slow run short)."""
    start = time.monotonic()
    # SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so the servers and workers are stopped.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return _run(start, budget_s, batch, max_steps, base_seed, max_batches)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(start, budget_s, batch, max_steps, base_seed, max_batches) -> Report:
    with tempfile.TemporaryDirectory(prefix="spikelite-diff-") as workdir:
        differ = Differ(workdir)
        try:
            deadline = start + budget_s

            @settings(max_examples=batch, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(st.data())
            def one_batch(data):
                set_name = differ.new_set()
                steps = data.draw(strategies.sequences(differ.catalog, set_name, max_steps))
                if time.monotonic() < deadline:
                    differ.run_sequence(steps, set_name)

            for number in itertools.count():
                if time.monotonic() >= deadline or (max_batches is not None and number >= max_batches):
                    break
                (one_batch if base_seed is None else seed(base_seed * 100_003 + number)(one_batch))()
        finally:
            differ.close()
    return differ.report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=float(os.environ.get(BUDGET_ENV, DEFAULT_BUDGET_S)),
                        help="seconds to spend generating and running sequences (env %s)" % BUDGET_ENV)
    parser.add_argument("--seed", default=os.environ.get(SEED_ENV, DEFAULT_SEED),
                        help='int (the same sequences each run) or "random" (env %s)' % SEED_ENV)
    parser.add_argument("--batches", type=int, default=batches_from(os.environ.get(BATCHES_ENV)),
                        help="stop after this many batches of 200 sequences (env %s; default: "
                             "only the budget)" % BATCHES_ENV)
    parser.add_argument("--verbose", action="store_true", help="also print listed divergences")
    args = parser.parse_args(argv)
    report = run(args.budget, base_seed=seed_from(args.seed), max_batches=args.batches)
    print(report.text(args.verbose))
    return 1 if report.unlisted else 0


if __name__ == "__main__":
    sys.exit(main())

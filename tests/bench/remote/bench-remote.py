#!/usr/bin/env python3
"""bench-remote: one destination change on 1, 4 and 16 test hosts, sendmail-tls against Ansible.

For each host count N: `sendmail-tls --host mta1 .. --host mtaN set destination NAME off` (its
whole pipeline: stale check, snapshot, upload, validate, install, health check) against
`ansible-playbook access-destination.yml` (lineinfile on /etc/mail/access + a makemap handler)
with forks = N on the same hosts. Both are timed from outside, start to exit, as a user sees them.
Every run uses a new destination name, so every run really edits; after each run its exit code,
its own report (JSON outcomes, PLAY RECAP) and every host's access and access.db are checked, and
a run that did not make the change stops the benchmark.

The test hosts (tests/hosts/testhosts) live on 127.0.1.1..16. Teammates' tests use the same
addresses, so the whole benchmark runs in a private network namespace of its own (it re-executes
itself under `unshare -n`); it only ever talks to loopback.

A report, not a test: exit 0 whether or not the goals are met; 1 only when setup or a run fails.
Not root, no unshare or no ansible-playbook: a SKIP line and exit 0.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NETNS_MARKER = "SMTLS_BENCH_REMOTE_NETNS"  # set once we run inside our own network namespace
HERE = Path(__file__).resolve().parent
PLAYBOOK = HERE / "access-destination.yml"
MAX_HOSTS = 16


class BenchError(Exception):
    """A run failed or did not make the change: the figures would be meaningless."""


def log(message):
    print(f"bench-remote: {message}", flush=True)


def skip(message):
    log(f"SKIP: {message}")
    sys.exit(0)


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cli", required=True, help="the sendmail-tls executable")
    p.add_argument("--testhosts", required=True, help="tests/hosts/testhosts")
    p.add_argument("--work", required=True, help="work directory (emptied first)")
    p.add_argument("--sizes", default="1,4,16", help="host counts (default 1,4,16)")
    p.add_argument("--rounds", type=int, default=3, help="timed rounds per host count (default 3)")
    p.add_argument("--no-facts", action="store_true",
                   help="skip the extra Ansible column with gather_facts on (its default)")
    p.add_argument("--pipelining", action="store_true",
                   help="add an Ansible column with pipelining on (off by default in Ansible)")
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if not args.sizes or any(n < 1 or n > MAX_HOSTS for n in args.sizes) or args.rounds < 1:
        p.error(f"sizes must be 1..{MAX_HOSTS}, rounds at least 1")
    return args


def enter_private_network():
    """Re-executes this script under `unshare -n` with loopback up (once; the marker says so)."""
    if os.environ.get(NETNS_MARKER):
        if os.readlink("/proc/self/ns/net") == os.environ[NETNS_MARKER]:
            log("FAILED: still in the machine's network namespace after unshare")
            sys.exit(1)
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        skip("needs unshare and ip to isolate the test hosts in a private network namespace")
    os.environ[NETNS_MARKER] = os.readlink("/proc/self/ns/net")
    body = 'ip link set lo up && exec "$0" "$@"'
    argv = ["unshare", "-n", "--", "sh", "-c", body, sys.executable, str(Path(__file__).resolve())]
    rc = subprocess.run(argv + sys.argv[1:], check=False).returncode
    sys.exit(rc)


def run(argv, **kwargs):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False, **kwargs)


def timed(argv, env=None):
    """(seconds, exit code, output) of one whole process, start to exit."""
    start = time.monotonic()
    p = run(argv, env=env)
    return time.monotonic() - start, p.returncode, p.stdout


class Hosts:
    """testhosts DIR: hosts mta1..mtaN on 127.0.1.1..N, inside our network namespace."""

    def __init__(self, script, directory):
        self.script = script
        self.dir = directory

    def call(self, *arguments):
        return run([self.script, arguments[0], str(self.dir), *arguments[1:]])

    def up(self, count):
        p = self.call("up", str(count))
        if p.returncode == 77:
            skip("testhosts cannot run here: " + p.stdout.strip())
        if p.returncode != 0:
            raise BenchError("testhosts up failed:\n" + p.stdout)
        return p.stdout.strip().splitlines()[-1]

    def down(self):
        self.call("down")

    def etc_mail(self, i):
        return self.dir / f"host{i}" / "etc-mail"


class Verifier:
    """Checks on every host, from outside, that a run's destination really went in."""

    def __init__(self, hosts):
        self.hosts = hosts

    def db_mtimes(self, count):
        return [(self.hosts.etc_mail(i) / "access.db").stat().st_mtime_ns for i in range(1, count + 1)]

    def check(self, count, destination, db_before):
        key = f"Try_TLS:{destination}"
        rule = re.compile(rf"^{re.escape(key)}\s+NO\s*$", re.MULTILINE)
        for i in range(1, count + 1):
            etc = self.hosts.etc_mail(i)
            if not rule.search((etc / "access").read_text()):
                raise BenchError(f"mta{i}: no '{key} NO' line in /etc/mail/access")
            db = etc / "access.db"
            if db.stat().st_mtime_ns == db_before[i - 1]:
                raise BenchError(f"mta{i}: access.db was not rebuilt")
            dump = run(["makemap", "-u", "hash", str(etc / "access")]).stdout
            if not re.search(rf"^{re.escape(key.lower())}\s+NO$", dump, re.MULTILINE):
                raise BenchError(f"mta{i}: access.db has no {key.lower()}")


class OurTool:
    name = "sendmail-tls"

    def __init__(self, cli, hosts, work):
        self.cli = cli
        self.hosts = hosts
        self.snapshots = work / "snapshots"
        self.reports = work / "reports"  # each run's --json report: per-step and per-command ms
        self.reports.mkdir(parents=True, exist_ok=True)

    def apply(self, count, destination):
        argv = [self.cli, "--ssh-config", str(self.hosts.dir / "ssh_config"),
                "--snapshot-dir", str(self.snapshots)]
        for i in range(1, count + 1):
            argv += ["--host", f"mta{i}"]
        argv += ["set", "destination", destination, "off", "--json"]
        seconds, rc, out = timed(argv)
        if rc != 0:
            raise BenchError(f"sendmail-tls exited {rc}:\n{out[-4000:]}")
        (self.reports / f"{destination}.json").write_text(out)
        report = json.loads(out[out.index("{"):])
        outcomes = {h["host"]: h["outcome"] for h in report["hosts"]}
        wanted = {f"mta{i}": "applied" for i in range(1, count + 1)}
        if outcomes != wanted:
            raise BenchError(f"sendmail-tls outcomes {outcomes}, expected {wanted}")
        return seconds


class Ansible:
    """ansible-playbook with Ansible's defaults, except what the benchmark must pin down."""

    RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                       re.MULTILINE)

    def __init__(self, hosts, work, gather_facts, pipelining=False):
        self.hosts = hosts
        self.work = work / "ansible"
        self.gather_facts = gather_facts
        self.pipelining = pipelining
        self.name = "ansible" + (", facts" if gather_facts else "") + (", pipelining" if pipelining else "")
        self.work.mkdir(parents=True, exist_ok=True)
        # A config of our own, so no ansible.cfg of the machine or the cwd changes what we measure.
        self.config = self.work / "ansible.cfg"
        self.config.write_text("[defaults]\n")

    def inventory(self, count):
        path = self.work / f"inventory-{count}.ini"
        d = self.hosts.dir
        ssh_args = (f"-o UserKnownHostsFile={d}/known_hosts -o GlobalKnownHostsFile=/dev/null "
                    f"-o StrictHostKeyChecking=yes -o IdentitiesOnly=yes")
        lines = ["[mtas]"]
        for i in range(1, count + 1):
            lines.append(f"mta{i} ansible_host=127.0.1.{i} ansible_user=root "
                         f"ansible_ssh_private_key_file={d}/keys/id_ed25519 "
                         f"ansible_ssh_common_args='{ssh_args}'")
        path.write_text("\n".join(lines) + "\n")
        return path

    def apply(self, count, destination):
        # Each run starts cold like a one-off change: its own ControlPath directory (Ansible's
        # default ControlPersist=60s would otherwise hand the next run open connections), and the
        # masters it leaves are closed after the clock stops.
        control_dir = tempfile.mkdtemp(prefix="smtls-cp-", dir="/tmp")
        env = dict(os.environ,
                   ANSIBLE_CONFIG=str(self.config),
                   ANSIBLE_HOME=str(self.work / "home"),
                   ANSIBLE_LOCAL_TEMP=str(self.work / "tmp"),
                   ANSIBLE_SSH_CONTROL_PATH_DIR=control_dir,
                   ANSIBLE_HOST_KEY_CHECKING="True",
                   ANSIBLE_PIPELINING="True" if self.pipelining else "False",
                   ANSIBLE_FORCE_COLOR="False",
                   ANSIBLE_NOCOLOR="True")
        argv = ["ansible-playbook", "-i", str(self.inventory(count)), "--forks", str(count),
                "-e", f"bench_destination={destination}",
                "-e", f"bench_gather_facts={'true' if self.gather_facts else 'false'}",
                str(PLAYBOOK)]
        try:
            seconds, rc, out = timed(argv, env=env)
        finally:
            for socket in Path(control_dir).iterdir():
                run(["ssh", "-o", f"ControlPath={socket}", "-O", "exit", "unused"])
            shutil.rmtree(control_dir, ignore_errors=True)
        (self.work / f"{destination}.log").write_text(out)
        if rc != 0:
            raise BenchError(f"ansible-playbook exited {rc}:\n{out[-4000:]}")
        recap = {m[0]: tuple(int(x) for x in m[1:]) for m in self.RECAP.findall(out)}
        for i in range(1, count + 1):
            ok, changed, unreachable, failed = recap.get(f"mta{i}", (0, 0, 1, 1))
            # changed=2: the lineinfile and the makemap handler.
            if changed != 2 or unreachable or failed:
                raise BenchError(f"ansible-playbook mta{i}: ok={ok} changed={changed} "
                                 f"unreachable={unreachable} failed={failed}\n{out[-4000:]}")
        return seconds


def measure(tools, verifier, sizes, rounds, run_id):
    """{tool name: {N: [seconds per round]}}: per N one warm-up each, then rounds in turn."""
    times = {t.name: {} for t in tools}
    serial = 0
    for n in sizes:
        for r in range(rounds + 1):
            for tool in tools:
                serial += 1
                destination = f"mx.bench-{run_id}-{serial}.test"
                before = verifier.db_mtimes(n)
                seconds = tool.apply(n, destination)
                verifier.check(n, destination, before)
                label = "warm-up" if r == 0 else f"round {r}"
                log(f"N={n:2} {label:7} {tool.name:22} {seconds:6.2f} s  ({destination} verified)")
                if r > 0:
                    times[tool.name].setdefault(n, []).append(seconds)
    return {name: {n: statistics.median(s) for n, s in per_n.items()} for name, per_n in times.items()}


def report(medians, tools, sizes, rounds):
    ours, ansible = tools[0].name, tools[1].name
    extra = [t.name for t in tools[2:]]
    print()
    print(f"One destination change (set destination NAME off), median of {rounds} rounds, seconds "
          f"start to exit. Ansible: forks = host count, gather_facts: false unless noted, "
          f"pipelining off unless noted, ControlPersist connections not reused across runs.")
    header = f"{'hosts':>5}  {'ours s':>7}  {'ansible s':>9}  {'ansible/ours':>12}  {'ours(N)/ours(1)':>15}"
    for name in extra:
        header += f"  {name + ' s':>{max(10, len(name) + 2)}}"
    print(header)
    base = medians[ours].get(1)
    for n in sizes:
        o, a = medians[ours][n], medians[ansible][n]
        scale = f"{o / base:15.2f}" if base else f"{'-':>15}"
        line = f"{n:5}  {o:7.2f}  {a:9.2f}  {a / o:12.2f}  {scale}"
        for name in extra:
            line += f"  {medians[name][n]:>{max(10, len(name) + 2)}.2f}"
        print(line)
    print()
    top = max(sizes)
    speedup = medians[ansible][top] / medians[ours][top]
    print(f"goal 1: at least 5x faster than Ansible at {top} hosts: {speedup:.2f}x -> "
          f"{'MET' if speedup >= 5 else 'MISSED'}")
    if base:
        scale = medians[ours][top] / base
        print(f"goal 2: {top} hosts within 2x of 1 host: {scale:.2f}x -> "
              f"{'MET' if scale <= 2 else 'MISSED'}")
    else:
        print("goal 2: not measured (no 1-host run)")


def main():
    args = parse_arguments()
    if os.geteuid() != 0:
        skip("needs root (the test hosts run sshd and sendmail in namespaces)")
    if not shutil.which("ansible-playbook"):
        skip("ansible-playbook not found (Debian: apt-get install ansible-core)")
    enter_private_network()

    work = Path(args.work).resolve()
    hosts = Hosts(args.testhosts, work / "hosts")
    if (work / "hosts").exists():
        hosts.down()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    try:
        log(hosts.up(max(args.sizes)))
        tools = [OurTool(args.cli, hosts, work), Ansible(hosts, work, gather_facts=False)]
        if not args.no_facts:
            tools.append(Ansible(hosts, work, gather_facts=True))
        if args.pipelining:
            tools.append(Ansible(hosts, work, gather_facts=False, pipelining=True))
        run_id = time.strftime("%H%M%S")
        medians = measure(tools, Verifier(hosts), args.sizes, args.rounds, run_id)
        report(medians, tools, args.sizes, args.rounds)
        return 0
    except BenchError as e:
        log(f"FAILED: {e}")
        return 1
    finally:
        hosts.down()
        log(f"each run's output: {work}/reports (sendmail-tls --json), {work}/ansible (*.log)")


if __name__ == "__main__":
    sys.exit(main())

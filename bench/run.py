#!/usr/bin/env python3
"""Ferry benchmark: ferry-cli against curl and aria2c on a loopback nginx.

Run it through scripts/bench, which installs what is missing and builds ferry-cli first.

Every scenario serves a generated file from an nginx started here (temporary prefix, free
127.0.0.1 port) and downloads it R times with each tool, rotating the tool order every round.
Per run: wall time, user+sys CPU seconds and peak RSS of the tool's process (wait4 rusage), and
the sha256 of the output, which must equal the source's (a wrong or missing file is a failed
run). Medians of the good runs go to bench/RESULTS.md, with the targets marked met or missed,
and a bar chart to bench/throughput.png.

Adding a scenario: subclass Scenario (or DownloadScenario for another download comparison),
decorate it with @register, and give it a one-letter key. A scenario contributes nginx config
(http-level and server-level), the files it needs, its own run() loop and its targets; the
report only needs the Run records it returns. A later ZIP bundling benchmark fits the same shape.

Scenario s brings its own server instead of nginx (needs_nginx = False): it starts the tests'
Ceph RGW cluster, compares ferry-cli s3 put / s3 get with the AWS CLI on it and runs
ferry-zipbench --checkpoint-cost against it. A run of some scenarios replaces only their own
sections of the report (merge_report), so sections written by hand or by other programs stay.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
MiB = 1 << 20
GiB = 1 << 30


# --------------------------------------------------------------------------------------------
# Records


@dataclasses.dataclass
class Run:
    scenario: str
    tool: str
    round: int
    ok: bool
    wall: float = 0.0
    user: float = 0.0
    sys: float = 0.0
    rss_kib: int = 0
    nbytes: int = 0
    exit_code: int | None = None
    error: str = ""
    log: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.sys


@dataclasses.dataclass
class Stats:
    tool: str
    good: int
    total: int
    wall: float
    cpu: float
    rss_mib: float
    nbytes: int

    @property
    def mibps(self) -> float:
        return self.nbytes / MiB / self.wall if self.wall > 0 else 0.0

    @property
    def cpu_per_gib(self) -> float:
        return self.cpu / (self.nbytes / GiB) if self.nbytes else 0.0


@dataclasses.dataclass
class Target:
    text: str
    measured: str
    status: str  # "met", "missed", "n/a"


def summarize(runs: list[Run], tool: str) -> Stats | None:
    mine = [r for r in runs if r.tool == tool]
    good = [r for r in mine if r.ok]
    if not good:
        return None
    return Stats(
        tool=tool,
        good=len(good),
        total=len(mine),
        wall=statistics.median(r.wall for r in good),
        cpu=statistics.median(r.cpu for r in good),
        rss_mib=statistics.median(r.rss_kib for r in good) / 1024,
        nbytes=good[0].nbytes,
    )


# --------------------------------------------------------------------------------------------
# Helpers


def log(msg: str) -> None:
    print(msg, flush=True)


def rel(p: Path | str) -> str:
    """Path relative to the repository root when it is inside it."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def fmt_size(n: int) -> str:
    return f"{n // GiB} GiB" if n % GiB == 0 else f"{n // MiB} MiB"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        buf = bytearray(8 * MiB)
        view = memoryview(buf)
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(view[:n])
    return h.hexdigest()


def ensure_data_file(path: Path, size: int) -> str:
    """Create a file of random bytes (once) and return its sha256 (cached next to it)."""
    sidecar = path.with_suffix(path.suffix + ".sha256")
    if path.exists() and path.stat().st_size == size and sidecar.exists():
        st = path.stat()
        parts = sidecar.read_text().split()
        if len(parts) == 3 and parts[0] == str(st.st_size) and parts[1] == str(st.st_mtime_ns):
            return parts[2]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.exists() and path.stat().st_size == size):
        log(f"generating {rel(path)} ({fmt_size(size)} of random bytes)")
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            left = size
            while left:
                chunk = os.urandom(min(left, 16 * MiB))
                f.write(chunk)
                left -= len(chunk)
        tmp.rename(path)
    digest = sha256_file(path)
    st = path.stat()
    sidecar.write_text(f"{st.st_size} {st.st_mtime_ns} {digest}\n")
    return digest


def clear_dir(d: Path) -> None:
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)


def first_line(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10,
                             stdin=subprocess.DEVNULL)
        text = (out.stdout or out.stderr).strip()
        return text.splitlines()[0] if text else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


TIME = "/usr/bin/time"


def measure(argv: list[str], log_path: Path, timeout: float, env: dict[str, str] | None = None,
            cwd: Path | None = None):
    """Run argv to completion; return (exit code, wall s, (user s, sys s, peak RSS KiB), error).

    CPU and peak RSS come from GNU time, which forks the tool from its own small process: a
    child forked straight from this Python would report Python's RSS as its peak (Linux keeps
    the high-water mark across exec). Without /usr/bin/time, wait4 is used, RSS overstated.
    """
    use_time = os.access(TIME, os.X_OK)
    usage_path = log_path.with_suffix(".time")
    full = [TIME, "-f", "%e %U %S %M", "-o", str(usage_path), *argv] if use_time else argv
    with open(log_path, "wb") as logf:
        t0 = time.monotonic()
        try:
            p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=logf,
                                 stderr=subprocess.STDOUT, start_new_session=True, env=env,
                                 cwd=cwd)
        except OSError as e:
            return None, 0.0, None, f"cannot start: {e}"
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    err = f"timed out after {timeout:.0f} s" if timed_out.is_set() else ""
    usage = (ru.ru_utime, ru.ru_stime, ru.ru_maxrss)
    if use_time:
        try:
            lines = usage_path.read_text().strip().splitlines()
            _, user, sys_, rss = lines[-1].split()
            usage = (float(user), float(sys_), int(rss))
            if len(lines) > 1 and not err:
                err = lines[0].strip() if p.returncode != 0 else ""
        except (OSError, ValueError, IndexError):
            usage = None
            err = err or "no resource usage from /usr/bin/time"
        usage_path.unlink(missing_ok=True)
    return p.returncode, wall, usage, err


def tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])


# --------------------------------------------------------------------------------------------
# nginx


class Nginx:
    """nginx as a foreground subprocess with a generated config in a temporary prefix."""

    def __init__(self, data_dir: Path, http_snippets: list[str], server_snippets: list[str]):
        self.prefix = Path(tempfile.mkdtemp(prefix="ferry-bench-nginx-"))
        self.port = self._free_port()
        self.data_dir = data_dir
        user = "user root;\n" if os.geteuid() == 0 else ""
        p = self.prefix
        for sub in ("logs", "tmp"):
            (p / sub).mkdir()
        conf = f"""{user}worker_processes auto;
pid {p}/nginx.pid;
error_log {p}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ application/octet-stream bin; }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000;
    keepalive_timeout 65;
    client_body_temp_path {p}/tmp/body;
    proxy_temp_path {p}/tmp/proxy;
    fastcgi_temp_path {p}/tmp/fastcgi;
    uwsgi_temp_path {p}/tmp/uwsgi;
    scgi_temp_path {p}/tmp/scgi;
{''.join(http_snippets)}
    server {{
        listen 127.0.0.1:{self.port};
        server_name localhost;
        root {data_dir};
{''.join(server_snippets)}
    }}
}}
"""
        self.conf = p / "nginx.conf"
        self.conf.write_text(conf)
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def _free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [nginx, "-p", str(self.prefix), "-e", str(self.prefix / "logs/error.log"),
                "-c", str(self.conf), "-g", "daemon off;"]
        with open(self.prefix / "logs/stderr.log", "wb") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited at start: "
                                   + tail(self.prefix / "logs/stderr.log")
                                   + tail(self.prefix / "logs/error.log"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening within 10 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Tools


@dataclasses.dataclass
class Tool:
    name: str
    binary: str | None  # None: not available
    why_missing: str = ""

    def argv(self, url: str, out_dir: Path, name: str, state_dir: Path) -> list[str]:
        b = self.binary
        assert b
        if self.name == "ferry":
            return [b, "get", url, "-d", str(out_dir), "--state-dir", str(state_dir), "-s", "8"]
        if self.name == "curl":
            return [b, "-s", "-o", str(out_dir / name), url]
        if self.name == "curl+sync":
            # curl plus the flush to disk that ferry performs before it renames a finished
            # file: the like-for-like comparison for a download that must survive a power cut.
            target = str(out_dir / name)
            return ["/bin/sh", "-c", f'"{b}" -s -o "{target}" "{url}" && sync "{target}"']
        if self.name == "aria2c":
            return [b, "-x8", "-s8", "-k1M", "--file-allocation=none", "-d", str(out_dir),
                    "-o", name, "--allow-overwrite=true", "--auto-file-renaming=false", "-q", url]
        raise ValueError(self.name)


def find_tools(ferry_path: Path) -> dict[str, Tool]:
    tools = {}
    if ferry_path.is_file() and os.access(ferry_path, os.X_OK):
        tools["ferry"] = Tool("ferry", str(ferry_path))
    else:
        tools["ferry"] = Tool("ferry", None, f"{rel(ferry_path)} not found (not built yet?)")
    for name in ("curl", "aria2c"):
        path = shutil.which(name)
        tools[name] = Tool(name, path, "" if path else f"{name} not on PATH")
    tools["curl+sync"] = Tool("curl+sync", tools["curl"].binary, tools["curl"].why_missing)
    return tools


TOOL_ORDER = ("ferry", "curl", "aria2c", "curl+sync")


# --------------------------------------------------------------------------------------------
# Scenarios


@dataclasses.dataclass
class Context:
    args: argparse.Namespace
    tools: dict[str, Tool]
    data_dir: Path
    work_dir: Path
    base_url: str = ""


class Scenario:
    key = "?"
    title = "?"
    needs_nginx = True  # False: the scenario brings its own server

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.notes: list[str] = []
        self.commands: dict[str, str] = {}

    # -- configuration contributed before nginx starts
    def prepare(self) -> None:
        """Create the files this scenario serves (once; they are reused across runs)."""

    def nginx_http(self) -> str:
        return ""

    def nginx_server(self) -> str:
        return ""

    def bytes_needed(self) -> int:
        """Disk space this scenario needs (data files it creates plus outputs)."""
        return 0

    # -- the measurement and its evaluation
    def tool_names(self) -> list[str]:
        return [t for t in TOOL_ORDER if t != "curl+sync"]

    def run(self) -> list[Run]:
        raise NotImplementedError

    def targets(self, stats: dict[str, Stats | None], runs: list[Run]) -> list[Target]:
        return []

    def table(self, stats: dict[str, Stats | None]) -> list[str]:
        return results_table(self, stats)

    def extra_report(self) -> list[str]:
        """Markdown lines after the notes (e.g. the output of a helper program)."""
        return []


SCENARIOS: dict[str, type[Scenario]] = {}


def register(cls: type[Scenario]) -> type[Scenario]:
    SCENARIOS[cls.key] = cls
    return cls


class DownloadScenario(Scenario):
    """Download one served file with each tool; verify the sha256 of every output."""

    location = "/plain/"
    location_body = ""  # extra directives inside the location
    full_size = GiB
    quick_size = 64 * MiB

    @property
    def size(self) -> int:
        return self.quick_size if self.ctx.args.quick else self.full_size

    @property
    def file_name(self) -> str:
        return f"data-{self.size // MiB}M.bin"

    def bytes_needed(self) -> int:
        return 2 * self.size

    def prepare(self) -> None:
        self.digest = ensure_data_file(self.ctx.data_dir / self.file_name, self.size)

    def nginx_server(self) -> str:
        return (f"        location {self.location} {{\n"
                f"            alias {self.ctx.data_dir}/;\n"
                f"{self.location_body}"
                f"        }}\n")

    def url(self) -> str:
        return f"{self.ctx.base_url}{self.location}{self.file_name}"

    def timeout(self) -> float:
        return self.ctx.args.timeout

    def argv(self, tool: Tool, out_dir: Path, state_dir: Path, round_no: int) -> list[str]:
        return tool.argv(self.url(), out_dir, self.file_name, state_dir)

    def shown_command(self, argv: list[str], out_dir: Path, state_dir: Path) -> str:
        shown = list(argv)
        if shutil.which(Path(shown[0]).name) == shown[0]:
            shown[0] = Path(shown[0]).name
        text = " ".join(shown)
        text = text.replace(str(state_dir), "$STATE_DIR").replace(str(out_dir), "$OUT_DIR")
        text = text.replace(self.ctx.base_url, "http://127.0.0.1:$PORT")
        return text.replace(str(ROOT) + "/", "")

    def find_output(self, out_dir: Path) -> Path | None:
        expected = out_dir / self.file_name
        if expected.is_file():
            return expected
        files = [p for p in out_dir.rglob("*") if p.is_file()
                 and not p.name.endswith((".part", ".aria2"))]
        return files[0] if len(files) == 1 else None

    def run(self) -> list[Run]:
        args = self.ctx.args
        tools = [self.ctx.tools[n] for n in self.tool_names() if self.ctx.tools[n].binary]
        runs: list[Run] = []
        if not tools:
            return runs
        logs = self.ctx.work_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for rnd in range(args.runs):
            order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
            for tool in order:
                out_dir = self.ctx.work_dir / "runs" / tool.name
                clear_dir(out_dir)
                state_dir = Path(tempfile.mkdtemp(prefix=f"ferry-bench-state-{tool.name}-"))
                argv = self.argv(tool, out_dir, state_dir, rnd)
                self.commands.setdefault(tool.name, self.shown_command(argv, out_dir, state_dir))
                log_path = logs / f"{self.key}-{tool.name}-{rnd + 1}.log"
                code, wall, ru, err = measure(argv, log_path, self.timeout())
                run = Run(self.key, tool.name, rnd + 1, False, wall=wall, exit_code=code,
                          nbytes=self.size, log=rel(log_path))
                if ru is not None:
                    run.user, run.sys, run.rss_kib = ru
                if code != 0 and code is not None:
                    run.error = f"{err or f'exit code {code}'}: {tail(log_path, 3)}"
                elif err:
                    run.error = err
                else:
                    out = self.find_output(out_dir)
                    if out is None:
                        run.error = "no output file"
                    elif out.stat().st_size != self.size:
                        run.error = f"wrong size {out.stat().st_size} (expected {self.size})"
                    elif sha256_file(out) != self.digest:
                        run.error = "sha256 differs from the source"
                    else:
                        run.ok = True
                shutil.rmtree(out_dir, ignore_errors=True)
                shutil.rmtree(state_dir, ignore_errors=True)
                status = "ok" if run.ok else f"FAILED: {run.error}"
                speed = f"{self.size / MiB / wall:8.1f}" if run.ok and wall else "       –"
                log(f"  ({self.key}) round {rnd + 1}/{args.runs} {tool.name:7s} "
                    f"{wall:7.2f} s  {speed} MiB/s  "
                    f"cpu {run.cpu:6.2f} s  rss {run.rss_kib / 1024:6.1f} MiB  {status}")
                runs.append(run)
        return runs

    # common targets, checked in every download scenario
    def common_targets(self, stats: dict[str, Stats | None], runs: list[Run]) -> list[Target]:
        f, c = stats.get("ferry"), stats.get("curl")
        out = [
            check("ferry peak RSS ≤ 48 MiB",
                  f and f"{f.rss_mib:.1f} MiB", f is not None and f.rss_mib <= 48),
            check("ferry CPU per GiB ≤ 1.5× curl",
                  f and c and f"{f.cpu_per_gib:.2f} vs {c.cpu_per_gib:.2f} s/GiB "
                  f"({ratio(f.cpu, c.cpu)})",
                  f is not None and c is not None and f.cpu <= 1.5 * c.cpu),
        ]
        bad = [r for r in runs if r.tool == "ferry" and not r.ok]
        if any(r.tool == "ferry" for r in runs):
            out.append(Target("every ferry run produced the right file",
                              f"{len(bad)} of {sum(r.tool == 'ferry' for r in runs)} runs failed",
                              "missed" if bad else "met"))
        return out


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def check(text: str, measured: str | None | bool, ok: bool) -> Target:
    if not measured:
        return Target(text, "–", "n/a")
    return Target(text, str(measured), "met" if ok else "missed")


@register
class Unthrottled(DownloadScenario):
    key = "a"
    title = "large file, unthrottled"
    location = "/plain/"
    full_size = 2 * GiB
    quick_size = 256 * MiB

    def tool_names(self) -> list[str]:
        return list(TOOL_ORDER)

    def targets(self, stats, runs):
        f, c = stats.get("ferry"), stats.get("curl")
        cs = stats.get("curl+sync")
        return [check("ferry wall ≤ 1.1× curl",
                      f and c and f"{f.wall:.2f} s vs {c.wall:.2f} s ({ratio(f.wall, c.wall)})",
                      f is not None and c is not None and f.wall <= 1.1 * c.wall),
                check("reference: ferry wall ≤ 1.1× curl followed by sync (both on disk)",
                      f and cs and f"{f.wall:.2f} s vs {cs.wall:.2f} s ({ratio(f.wall, cs.wall)})",
                      f is not None and cs is not None and f.wall <= 1.1 * cs.wall),
                ] + self.common_targets(stats, runs)


@register
class Limited(DownloadScenario):
    key = "b"
    title = "limit_rate 20m per connection"
    location = "/limited/"
    location_body = "            limit_rate 20m;\n"
    rate = 20 * MiB  # nginx's "m" is MiB
    full_size = 512 * MiB
    quick_size = 128 * MiB

    def ideal(self) -> float:
        return self.size / (8 * self.rate)

    def targets(self, stats, runs):
        f, a = stats.get("ferry"), stats.get("aria2c")
        ideal = self.ideal()
        self.notes.append(f"Ideal with 8 connections at 20 MiB/s each: {ideal:.2f} s.")
        return [
            check("ferry wall ≤ 1.1× ideal (size / (8 × 20 MiB/s))",
                  f and f"{f.wall:.2f} s vs {ideal:.2f} s ({ratio(f.wall, ideal)})",
                  f is not None and f.wall <= 1.1 * ideal),
            check("ferry faster than aria2c",
                  f and a and f"{f.wall:.2f} s vs {a.wall:.2f} s ({ratio(f.wall, a.wall)})",
                  f is not None and a is not None and f.wall < a.wall),
        ] + self.common_targets(stats, runs)


@register
class Uneven(DownloadScenario):
    """Connections with very different speeds.

    The rate of a connection comes from the last digit of nginx's connection serial number, so
    the connections one client opens in a row spread over ten classes from 2 to 60 MiB/s. (Classes by remote port
    would cluster: Linux hands out even, nearly consecutive ephemeral ports.) curl has a single
    connection whose class would be a lottery between 2 and 60 MiB/s; it is pinned to local
    ports 20000-20999, which get the fastest class, so it is the best case for one connection.
    """

    key = "c"
    title = "connections of very different speeds (2–60 MiB/s)"
    location = "/uneven/"
    location_body = "            set $limit_rate $ferry_rate;\n"
    # MiB/s by the last digit of $connection. Fast and slow classes alternate, so whichever two
    # classes a client's 8 consecutive connections miss, the sum it can reach stays in a band
    # (88-140 MiB/s) instead of swinging between 65 and 150 MiB/s from run to run.
    rates_mib = (60, 2, 30, 3, 20, 4, 14, 5, 10, 7)
    curl_ports = (20000, 20999)
    full_size = 2 * GiB
    quick_size = 64 * MiB

    def __init__(self, ctx):
        super().__init__(ctx)
        self._next_port = self.curl_ports[0]

    def nginx_http(self) -> str:
        by_conn = "".join(f'        "~{d}$" {r}m;\n' for d, r in enumerate(self.rates_mib))
        return ("    map $connection $ferry_conn_rate {\n" + by_conn + "    }\n"
                "    map $remote_port $ferry_rate {\n"
                '        "~^20\\d\\d\\d$" 60m;\n'
                "        default $ferry_conn_rate;\n"
                "    }\n")

    def curl_port(self) -> int:
        while self._next_port <= self.curl_ports[1]:
            port = self._next_port
            self._next_port += 1
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                    return port
                except OSError:
                    continue
        raise RuntimeError("no free local port for curl in 20000-20999")

    def argv(self, tool, out_dir, state_dir, round_no):
        argv = super().argv(tool, out_dir, state_dir, round_no)
        if tool.name == "curl":
            argv[1:1] = ["--local-port", str(self.curl_port())]
        return argv

    def shown_command(self, argv, out_dir, state_dir):
        text = super().shown_command(argv, out_dir, state_dir)
        if argv and Path(argv[0]).name == "curl":
            text = text.replace(argv[2], "$PORT_20000_20999", 1)
        return text

    def targets(self, stats, runs):
        f, a = stats.get("ferry"), stats.get("aria2c")
        self.notes.append("nginx rate per connection, by the last digit (0–9) of its "
                          "connection serial number: "
                          + ", ".join(f"{r}" for r in self.rates_mib) + " MiB/s. "
                          "curl's single connection is pinned (by its local port) to the "
                          "60 MiB/s class, the best case for one connection; its wall time "
                          "here is not a target.")
        return [check("ferry clearly faster than aria2c (wall ≤ 0.9× aria2c)",
                      f and a and f"{f.wall:.2f} s vs {a.wall:.2f} s ({ratio(f.wall, a.wall)})",
                      f is not None and a is not None and f.wall <= 0.9 * a.wall)
                ] + self.common_targets(stats, runs)


class RgwCluster:
    """The tests' throwaway Ceph cluster with its S3 gateway (tests/support/rgw/rgw-cluster)."""

    script = ROOT / "tests/support/rgw/rgw-cluster"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ferry-bench-rgw-"))
        self.endpoint = ""
        self.access_key = ""
        self.secret_key = ""

    @classmethod
    def unavailable(cls) -> str:
        missing = [b for b in ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin") if not shutil.which(b)]
        return f"{', '.join(missing)} not installed" if missing else ""

    def start(self) -> None:
        env = dict(os.environ, FERRY_RGW_WATCH_PID=str(os.getpid()))
        out = subprocess.run([str(self.script), "start", str(self.dir)], capture_output=True,
                             text=True, env=env, stdin=subprocess.DEVNULL, timeout=180)
        if out.returncode != 0:
            raise RuntimeError("rgw-cluster start failed: " + " | ".join(out.stderr.strip().splitlines()[-5:]))
        values = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        self.endpoint = values.get("endpoint", "")
        self.access_key = values.get("access_key", "")
        self.secret_key = values.get("secret_key", "")
        if not (self.endpoint and self.access_key and self.secret_key):
            raise RuntimeError("rgw-cluster start printed no endpoint or keys")

    def collect_garbage(self) -> None:
        """Frees deleted objects now. The gateway normally does so hours later, and the OSD
        keeps its data in memory (4 GiB at most): a run uploading many large files would fill it."""
        subprocess.run(["radosgw-admin", "-c", str(self.dir / "ceph.conf"), "gc", "process",
                        "--include-all"], capture_output=True, stdin=subprocess.DEVNULL, timeout=300)

    def stop(self) -> None:
        subprocess.run([str(self.script), "stop", str(self.dir)], capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)


AWS = "/usr/bin/aws"  # Debian's AWS CLI v2; a pyenv shim named aws may come first on PATH


@register
class S3VersusAws(Scenario):
    """ferry-cli s3 put / s3 get against the AWS CLI on one Ceph RGW, and the cost of ZIP
    bundle checkpoints measured by ferry-zipbench on the same cluster.

    The cluster is started here and stopped at the end. Uploads go to a fresh key each run;
    the uploaded object is read back (aws s3 cp to stdout, untimed) and its sha256 compared
    with the file's, then deleted (the OSD keeps its data in memory). Downloads fetch one
    object uploaded beforehand; the file written is checked the same way.
    """

    key = "s"
    title = "S3 upload and download against the AWS CLI (Ceph RGW)"
    needs_nginx = False
    full_size = 512 * MiB
    quick_size = 64 * MiB
    bundle_mib = 1024
    quick_bundle_mib = 128
    bucket = "bench"
    transfers = ("put", "get")
    clients = ("ferry", "aws")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.rgw: RgwCluster | None = None
        self.zip_lines: list[str] = []
        self.zip_ratio: float | None = None  # median of the per-round ratios
        self.zip_median_ratio: float | None = None  # ratio of the median times
        self.zip_cpu_ratio: float | None = None
        self.zip_round_ratios = ""
        self.zip_error = ""
        self.zip_command = ""
        self.loads: list[str] = []

    @property
    def size(self) -> int:
        return self.quick_size if self.ctx.args.quick else self.full_size

    @property
    def file_name(self) -> str:
        return f"data-{self.size // MiB}M.bin"

    def bytes_needed(self) -> int:
        return 2 * self.size

    def prepare(self) -> None:
        self.digest = ensure_data_file(self.ctx.data_dir / self.file_name, self.size)

    def tool_names(self) -> list[str]:
        return [f"{c} {t}" for t in self.transfers for c in self.clients]

    def zipbench(self) -> Path:
        return Path(self.ctx.args.zipbench)

    def env(self, tool: str) -> dict[str, str]:
        assert self.rgw
        env = dict(os.environ)
        for k in [k for k in env if k.startswith("AWS_")]:
            del env[k]
        # No profile files: only these settings count, for both tools.
        none = str(self.ctx.work_dir / "no-aws-config")
        env.update(AWS_ACCESS_KEY_ID=self.rgw.access_key, AWS_SECRET_ACCESS_KEY=self.rgw.secret_key,
                   AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=none,
                   AWS_SHARED_CREDENTIALS_FILE=none, AWS_PAGER="")
        if tool == "ferry":
            env["AWS_ENDPOINT_URL"] = self.rgw.endpoint
        return env

    def aws(self, *args: str) -> list[str]:
        assert self.rgw
        return [AWS, "--endpoint-url", self.rgw.endpoint, *args]

    def remove(self, key: str) -> None:
        assert self.rgw
        subprocess.run(self.aws("s3", "rm", "--only-show-errors", f"s3://{self.bucket}/{key}"),
                       env=self.env("aws"), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        self.rgw.collect_garbage()

    def object_sha256(self, key: str) -> str:
        """sha256 of an object, streamed through aws s3 cp to stdout."""
        p = subprocess.Popen(self.aws("s3", "cp", "--only-show-errors", f"s3://{self.bucket}/{key}", "-"),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, env=self.env("aws"))
        h = hashlib.sha256()
        assert p.stdout
        while chunk := p.stdout.read(8 * MiB):
            h.update(chunk)
        return h.hexdigest() if p.wait() == 0 else "?"

    def argv(self, tool: str, transfer: str, src: Path, out_dir: Path, state_dir: Path,
             key: str) -> list[str]:
        ferry = self.ctx.tools["ferry"].binary
        uri = f"s3://{self.bucket}/{key}"
        if transfer == "put":
            if tool == "ferry":
                return [ferry, "s3", "put", str(src), uri, "--state-dir", str(state_dir)]
            return self.aws("s3", "cp", "--no-progress", "--only-show-errors", str(src), uri)
        if tool == "ferry":
            return [ferry, "s3", "get", uri, str(out_dir), "--state-dir", str(state_dir)]
        return self.aws("s3", "cp", "--no-progress", "--only-show-errors", uri,
                        str(out_dir / Path(key).name))

    def shown(self, argv: list[str], src: Path, out_dir: Path, state_dir: Path, key: str) -> str:
        assert self.rgw
        text = " ".join(argv).replace(str(state_dir), "$STATE_DIR").replace(str(out_dir), "$OUT_DIR")
        text = text.replace(self.rgw.endpoint, "http://127.0.0.1:$PORT").replace(str(src), "$FILE")
        text = text.replace(str(self.ctx.tools["ferry"].binary), "ferry-cli")
        return text.replace(key, "$KEY" if "-up-" in key else key).replace(str(ROOT) + "/", "")

    def run(self) -> list[Run]:
        runs: list[Run] = []
        ferry_ok = bool(self.ctx.tools["ferry"].binary)
        if why := RgwCluster.unavailable():
            self.notes.append(f"Not run: {why}.")
            return runs
        if not os.access(AWS, os.X_OK):
            self.notes.append(f"Not run: {AWS} not installed.")
            return runs
        self.loads.append(" / ".join(f"{x:.2f}" for x in os.getloadavg()))
        self.rgw = RgwCluster()
        try:
            self.rgw.start()
            log(f"  rgw on {self.rgw.endpoint}")
            runs = self._run(ferry_ok)
        finally:
            self.rgw.stop()
        self.loads.append(" / ".join(f"{x:.2f}" for x in os.getloadavg()))
        return runs

    def _run(self, ferry_ok: bool) -> list[Run]:
        args = self.ctx.args
        runs: list[Run] = []
        src = self.ctx.data_dir / self.file_name
        logs = self.ctx.work_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        setup_log = logs / f"{self.key}-setup.log"
        with open(setup_log, "wb") as f:
            if subprocess.run(self.aws("s3", "mb", f"s3://{self.bucket}"), stdout=f, stderr=subprocess.STDOUT,
                              env=self.env("aws"), stdin=subprocess.DEVNULL).returncode != 0:
                raise RuntimeError(f"S3 setup failed: {tail(setup_log, 3)}")
        # The bundles first, while the OSD is empty; their object goes before the transfers.
        self.bundle_checkpoints()
        self.remove("large/video.mp4")
        with open(setup_log, "ab") as f:
            argv = self.aws("s3", "cp", "--only-show-errors", str(src), f"s3://{self.bucket}/{self.file_name}")
            if subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT, env=self.env("aws"),
                              stdin=subprocess.DEVNULL).returncode != 0:
                raise RuntimeError(f"S3 setup failed: {tail(setup_log, 3)}")
        clients = [c for c in self.clients if c != "ferry" or ferry_ok]
        for transfer in self.transfers:
            for rnd in range(args.runs):
                order = clients[rnd % len(clients):] + clients[:rnd % len(clients)]
                for client in order:
                    tool = f"{client} {transfer}"
                    out_dir = self.ctx.work_dir / "runs" / client
                    clear_dir(out_dir)
                    state_dir = Path(tempfile.mkdtemp(prefix=f"ferry-bench-state-{client}-"))
                    key = f"{client}-up-{rnd + 1}.bin" if transfer == "put" else self.file_name
                    argv = self.argv(client, transfer, src, out_dir, state_dir, key)
                    self.commands.setdefault(tool, self.shown(argv, src, out_dir, state_dir, key))
                    log_path = logs / f"{self.key}-{client}-{transfer}-{rnd + 1}.log"
                    code, wall, ru, err = measure(argv, log_path, args.timeout, env=self.env(client))
                    run = Run(self.key, tool, rnd + 1, False, wall=wall, exit_code=code,
                              nbytes=self.size, log=rel(log_path))
                    if ru is not None:
                        run.user, run.sys, run.rss_kib = ru
                    if code != 0 and code is not None:
                        run.error = f"{err or f'exit code {code}'}: {tail(log_path, 3)}"
                    elif err:
                        run.error = err
                    elif transfer == "put":
                        got = self.object_sha256(key)
                        run.ok = got == self.digest
                        run.error = "" if run.ok else "the object's sha256 differs from the file's"
                        self.remove(key)
                    else:
                        out = out_dir / self.file_name
                        if not out.is_file():
                            run.error = "no output file"
                        elif sha256_file(out) != self.digest:
                            run.error = "sha256 differs from the source"
                        else:
                            run.ok = True
                    shutil.rmtree(out_dir, ignore_errors=True)
                    shutil.rmtree(state_dir, ignore_errors=True)
                    status = "ok" if run.ok else f"FAILED: {run.error}"
                    speed = f"{self.size / MiB / wall:8.1f}" if run.ok and wall else "       –"
                    log(f"  ({self.key}) round {rnd + 1}/{args.runs} {tool:9s} {wall:7.2f} s  {speed} MiB/s  "
                        f"cpu {run.cpu:6.2f} s  rss {run.rss_kib / 1024:6.1f} MiB  "
                        f"load {os.getloadavg()[0]:.1f}  {status}")
                    runs.append(run)
        self.remove(self.file_name)
        return runs

    def bundle_checkpoints(self) -> None:
        """ferry-zipbench --checkpoint-cost against this cluster (the same bucket)."""
        zb = self.zipbench()
        if not zb.is_file():
            self.zip_error = f"{rel(zb)} not built"
            return
        mib = self.quick_bundle_mib if self.ctx.args.quick else self.bundle_mib
        argv = [str(zb), "--endpoint", self.rgw.endpoint, "--large-mib", str(mib),
                "--checkpoint-cost", str(self.ctx.args.runs)]
        self.zip_command = " ".join(["ferry-zipbench", *argv[1:]]).replace(self.rgw.endpoint, "http://127.0.0.1:$PORT") \
            .replace(str(ROOT) + "/", "")
        log_path = self.ctx.work_dir / "logs" / f"{self.key}-zipbench.log"
        log(f"  ({self.key}) bundles of a {mib} MiB object, with and without checkpoints "
            f"({self.ctx.args.runs} rounds)")
        with open(log_path, "wb") as err:
            out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=err, env=self.env("ferry"),
                                 stdin=subprocess.DEVNULL, cwd=self.ctx.work_dir,
                                 timeout=self.ctx.args.timeout * 2 * self.ctx.args.runs)
        text = out.stdout.decode(errors="replace")
        if out.returncode != 0:
            self.zip_error = f"ferry-zipbench failed (exit {out.returncode}): {tail(log_path, 3)}"
            return
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name == "median-ratio":
                self.zip_ratio = float(value)
            elif name == "checkpoint-ratio":
                self.zip_median_ratio = float(value)
            elif name == "cpu-ratio":
                self.zip_cpu_ratio = float(value)
            elif name == "round-ratios":
                self.zip_round_ratios = value
            elif line.startswith("|"):
                self.zip_lines.append(line)
        log("\n".join(self.zip_lines))

    def table(self, stats):
        head = ("| Transfer | Tool | Good runs | Wall s | MiB/s | CPU s | Peak RSS MiB "
                "| Wall ×aws | CPU ×aws | RSS ×aws |")
        lines = [head, "|" + "---|" * (head.count("|") - 1)]
        for transfer in self.transfers:
            a = stats.get(f"aws {transfer}")
            for client in self.clients:
                s = stats.get(f"{client} {transfer}")
                what = "multipart upload" if transfer == "put" else "download"
                if s is None:
                    lines.append(f"| {what} | {client} | 0 |" + " – |" * 7)
                    continue
                lines.append(
                    f"| {what} | {client} | {s.good}/{s.total} | {s.wall:.2f} | {s.mibps:.1f} "
                    f"| {s.cpu:.2f} | {s.rss_mib:.1f} "
                    f"| {ratio(s.wall, a.wall) if a else '–'} | {ratio(s.cpu, a.cpu) if a else '–'} "
                    f"| {ratio(s.rss_mib, a.rss_mib) if a else '–'} |")
        return lines

    def targets(self, stats, runs):
        fp, ap = stats.get("ferry put"), stats.get("aws put")
        fg, ag = stats.get("ferry get"), stats.get("aws get")
        out = [
            check("ferry upload wall ≤ 1.0× AWS CLI",
                  fp and ap and f"{fp.wall:.2f} s vs {ap.wall:.2f} s ({ratio(fp.wall, ap.wall)})",
                  fp is not None and ap is not None and fp.wall <= ap.wall),
            check("ferry upload peak RSS ≤ AWS CLI's",
                  fp and ap and f"{fp.rss_mib:.1f} MiB vs {ap.rss_mib:.1f} MiB ({ratio(fp.rss_mib, ap.rss_mib)})",
                  fp is not None and ap is not None and fp.rss_mib <= ap.rss_mib),
            check("ferry download wall ≤ 1.0× AWS CLI",
                  fg and ag and f"{fg.wall:.2f} s vs {ag.wall:.2f} s ({ratio(fg.wall, ag.wall)})",
                  fg is not None and ag is not None and fg.wall <= ag.wall),
            check("bundle with checkpoints ≤ 1.05× the time without (median of the per-round ratios)",
                  self.zip_ratio is not None and f"{self.zip_ratio:.3f}×",
                  self.zip_ratio is not None and self.zip_ratio <= 1.05),
        ]
        peaks = [float(cell) for line in self.zip_lines[2:]
                 for cell in [line.split("|")[5].strip()] if cell.replace(".", "", 1).isdigit()]
        out.append(check("bundle peak RSS ≤ 64 MiB", peaks and f"{max(peaks):.1f} MiB",
                         bool(peaks) and max(peaks) <= 64))
        bad = [r for r in runs if r.tool.startswith("ferry") and not r.ok]
        if any(r.tool.startswith("ferry") for r in runs):
            out.append(Target("every ferry transfer moved the right bytes",
                              f"{len(bad)} of {sum(r.tool.startswith('ferry') for r in runs)} runs failed",
                              "missed" if bad else "met"))
        return out

    def extra_report(self) -> list[str]:
        out = []
        if self.loads:
            started = datetime.datetime.now(datetime.timezone.utc)
            versions = [first_line(["radosgw", "--version"]).split(" (")[0],
                        " ".join(first_line([AWS, "--version"]).split()[:2])]
            out.append(f"Measured {started:%Y-%m-%d %H:%M} UTC, {self.ctx.args.runs} runs per tool, order "
                       f"rotating every round, on one throwaway cluster started for the run "
                       f"(`tests/support/rgw/rgw-cluster`: {versions[0]}, one memstore OSD, beast "
                       f"frontend on 127.0.0.1) shared with the bundles below; {versions[1]}. Load "
                       f"average (1/5/15 min) at the start: {self.loads[0]}, at the end: "
                       f"{self.loads[-1]}. The gateway and the OSD run on the same 2 CPUs as the "
                       "tools, so a client's CPU time also slows the server down.")
            out.append("")
            out.append("The AWS CLI runs with its defaults (8 MiB parts, 10 requests in flight); "
                       "over plain http it sends each part with the SHA-256 of its payload signed "
                       "and a Content-MD5 header. `ferry-cli s3 put` sends 8 MiB parts, 4 in "
                       "flight, each signed with the SHA-256 of its payload. Every upload is read "
                       "back and its sha256 compared with the file's; every download's file is "
                       "checked the same way.")
            out.append("")
        out.append("### Cost of bundle checkpoints (`ferry-zipbench --checkpoint-cost`)")
        out.append("")
        if self.zip_error:
            out.append(f"Not measured: {self.zip_error}.")
            return out
        out.append("One object bundled into a local ZIP from the cluster above, with a journal as a "
                   "queued bundle has, alternately with checkpoints (the default: every 16 MiB of "
                   "input the archive and the journal are flushed to disk) and without "
                   "(`checkpointInterval = 0`). Peak RSS is the process's VmHWM, reset before "
                   "each bundle; the largest of the runs is shown. The OSD keeps its data in "
                   "memory (4 GiB at most), so the object is 1 GiB rather than 4 GiB.")
        out.append("")
        out += self.zip_lines
        if self.zip_ratio is not None:
            out.append("")
            out.append(f"With checkpoints / without, each round's two bundles run back to back: "
                       f"{self.zip_round_ratios}; median **{self.zip_ratio:.3f}×**. Ratio of the "
                       f"median times: {self.zip_median_ratio:.3f}×; of the median CPU times: "
                       f"{self.zip_cpu_ratio:.3f}×.")
        out += ["", "```", self.zip_command, "```"]
        return out


# --------------------------------------------------------------------------------------------
# Report


def host_info(tools: dict[str, Tool]) -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Host: {cpu}, {os.cpu_count()} CPUs, Linux {platform.release()}; "
        f"load average at the end (1/5/15 min): {load}",
        f"Tree: commit {commit}{' with local changes' if dirty else ''}",
        "nginx: " + first_line(["nginx", "-v"]).replace("nginx version: ", ""),
    ]
    for name in ("ferry", "curl", "aria2c"):
        t = tools[name]
        if t.binary:
            version = first_line([t.binary, "--version"])
            if name != "ferry":
                version = " ".join(version.split()[:3 if name == "aria2c" else 2])
            lines.append(f"{name}: {version}")
        else:
            lines.append(f"{name}: skipped — {t.why_missing}")
    return lines


def results_table(sc: Scenario, stats: dict[str, Stats | None]) -> list[str]:
    head = ("| Tool | Good runs | Wall s | MiB/s | CPU s | CPU s/GiB | Peak RSS MiB "
            "| Wall ×curl | CPU ×curl | Wall ×aria2c | CPU ×aria2c |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    c, a = stats.get("curl"), stats.get("aria2c")
    for name in sc.tool_names():
        s = stats.get(name)
        tool = sc.ctx.tools[name]
        if not tool.binary:
            lines.append(f"| {name} | skipped: {tool.why_missing} |" + " |" * 9)
            continue
        if s is None:
            lines.append(f"| {name} | 0 (all failed) |" + " – |" * 9)
            continue
        lines.append(
            f"| {name} | {s.good}/{s.total} | {s.wall:.2f} | {s.mibps:.1f} | {s.cpu:.2f} "
            f"| {s.cpu_per_gib:.2f} | {s.rss_mib:.1f} "
            f"| {ratio(s.wall, c.wall) if c else '–'} | {ratio(s.cpu, c.cpu) if c else '–'} "
            f"| {ratio(s.wall, a.wall) if a else '–'} | {ratio(s.cpu, a.cpu) if a else '–'} |")
    return lines


def write_report(path: Path, ctx: Context, done: list[tuple[Scenario, list[Run], dict, list[Target]]],
                 started: datetime.datetime, argv: list[str]) -> list[str]:
    args = ctx.args
    out: list[str] = ["# Ferry benchmark results", ""]
    cmd = "scripts/bench" + ("" if not argv else " " + " ".join(argv))
    out.append(f"Produced by `{cmd}` on {started:%Y-%m-%d %H:%M} UTC: medians of "
               f"{args.runs} run{'s' if args.runs != 1 else ''} per tool, tools rotating "
               "order every round, against nginx on 127.0.0.1 (sendfile on, "
               "keepalive_requests 10000). Source files sit in the page cache; outputs are "
               "written to disk and their sha256 checked against the source after every run.")
    out.append("")
    how = ("GNU time" if os.access(TIME, os.X_OK)
           else "wait4 rusage; without /usr/bin/time the RSS includes the harness's fork")
    out.append("CPU s is user + system time of the tool's process; peak RSS is its maximum "
               f"resident set ({how}). MiB/s = file size / wall time.")
    out.append("")
    for line in host_info(ctx.tools):
        out.append(f"- {line}")
    out.append("")
    all_targets = [t for *_, ts in done for t in ts]
    met = sum(t.status == "met" for t in all_targets)
    judged = sum(t.status != "n/a" for t in all_targets)
    out.append(f"**Targets met: {met} of {judged}**"
               + (f" ({len(all_targets) - judged} not measurable: a tool was missing or failed)"
                  if judged < len(all_targets) else ""))
    out.append("")
    printable: list[str] = []
    for sc, runs, stats, targets in done:
        size = getattr(sc, "size", None)
        out.append(f"## ({sc.key}) {sc.title}" + (f" — {fmt_size(size)}" if size else ""))
        out.append("")
        table = sc.table(stats)
        out += table
        printable += [f"({sc.key}) {sc.title}" + (f" — {fmt_size(size)}" if size else "")] + table + [""]
        out.append("")
        if targets:
            out.append("| Target | Measured | Status |")
            out.append("|---|---|---|")
            for t in targets:
                out.append(f"| {t.text} | {t.measured} | {t.status} |")
                printable.append(f"  target: {t.text}: {t.measured} → {t.status}")
            printable.append("")
            out.append("")
        for n in sc.notes:
            out.append(n)
            out.append("")
        extra = sc.extra_report()
        if extra:
            out += extra
            out.append("")
        if sc.commands:
            out.append("Commands:")
            out.append("")
            out.append("```")
            for name in sc.tool_names():
                if name in sc.commands:
                    out.append(sc.commands[name])
            out.append("```")
            out.append("")
        failed = [r for r in runs if not r.ok]
        if failed:
            out.append("Failed runs:")
            out.append("")
            for r in failed:
                out.append(f"- {r.tool}, round {r.round}: {r.error} (log: `{r.log}`)")
            out.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(out).rstrip() + "\n"
    if path.exists():
        text = merge_report(path.read_text(), text, [sc.key for sc, *_ in done],
                            keep_head=not any(sc.needs_nginx for sc, *_ in done))
    path.write_text(text)
    return printable


def split_sections(text: str) -> tuple[str, list[str]]:
    """The text before the first "## " heading, and each "## " section (heading included)."""
    parts = ("\n" + text).split("\n## ")
    return parts[0].lstrip("\n"), ["## " + p for p in parts[1:]]


def merge_report(old: str, new: str, keys: list[str], keep_head: bool) -> str:
    """The report after this run: the sections of the scenarios that ran are replaced (or
    added at the end); the others, and sections no scenario writes (written by the benchmark
    programs or by hand), stay. The head is kept when only scenarios with their own server
    ran, since it describes the nginx runs."""
    old_head, old_sections = split_sections(old)
    new_head, new_sections = split_sections(new)
    by_key = {}
    for sec in new_sections:
        for k in keys:
            if sec.startswith(f"## ({k}) "):
                by_key[k] = sec
    merged, placed = [], set()
    for sec in old_sections:
        k = next((k for k in keys if sec.startswith(f"## ({k}) ")), None)
        if k is None:
            merged.append(sec)
        elif k in by_key and k not in placed:
            merged.append(by_key[k])
            placed.add(k)
    merged += [by_key[k] for k in keys if k in by_key and k not in placed]
    head = old_head if keep_head else new_head
    return (head.rstrip() + "\n\n" + "\n\n".join(sec.rstrip() for sec in merged)).rstrip() + "\n"


def draw_chart(path: Path, done) -> str:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (scripts/setup bench installs it); no chart drawn"
    scen = [(sc, stats) for sc, _, stats, _ in done if any(stats.get(t) for t in TOOL_ORDER)]
    if not scen:
        return "no successful runs; no chart drawn"
    tools = [t for t in TOOL_ORDER if any(stats.get(t) for _, stats in scen)]
    colors = {"ferry": "#2b7bba", "curl": "#9a9a9a", "aria2c": "#e08a2c"}
    width = 0.8 / max(1, len(tools))
    fig, ax = plt.subplots(figsize=(2.8 + 2.4 * len(scen), 4.2))
    for i, t in enumerate(tools):
        xs, ys = [], []
        for j, (_, stats) in enumerate(scen):
            s = stats.get(t)
            if s:
                xs.append(j + (i - (len(tools) - 1) / 2) * width)
                ys.append(s.mibps)
        bars = ax.bar(xs, ys, width, label=t, color=colors.get(t))
        ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(range(len(scen)))
    ax.set_xticklabels([f"({sc.key}) {sc.title}\n{fmt_size(sc.size)}" if hasattr(sc, "size")
                        else f"({sc.key}) {sc.title}" for sc, _ in scen], fontsize=8)
    ax.set_ylabel("MiB/s (median, higher is better)")
    ax.set_title("Ferry vs curl vs aria2c on loopback nginx")
    ax.legend()
    ax.margins(y=0.12)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"chart: {rel(path)}"


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark ferry-cli against curl and aria2c on a loopback nginx.")
    p.add_argument("--runs", type=int, default=None, help="runs per tool (default 3, --quick 1)")
    p.add_argument("--quick", action="store_true",
                   help="smoke check: 256 MiB / 128 MiB / 64 MiB files, 1 run")
    p.add_argument("--scenarios", default=",".join(SCENARIOS),
                   help=f"comma-separated subset of {','.join(SCENARIOS)} (default: all)")
    p.add_argument("--tools", default=",".join(TOOL_ORDER),
                   help="comma-separated subset of ferry,curl,aria2c")
    build_dir = Path(os.environ.get("FERRY_BUILD_DIR") or "build")
    p.add_argument("--ferry", default=str((ROOT / build_dir) / "app/ferry-cli"),
                   help="ferry-cli binary (default: $FERRY_BUILD_DIR/app/ferry-cli, "
                        "FERRY_BUILD_DIR defaulting to build)")
    p.add_argument("--zipbench", default=str((ROOT / build_dir) / "bench/ferry-zipbench"),
                   help="ferry-zipbench binary for the bundle checkpoint measurement of scenario s "
                        "(default: $FERRY_BUILD_DIR/bench/ferry-zipbench)")
    p.add_argument("--report", default=None,
                   help="Markdown report (default: bench/RESULTS.md; "
                        "with --quick: bench/out/RESULTS-quick.md)")
    p.add_argument("--chart", default=None,
                   help="chart (default: bench/throughput.png; with --quick: bench/out/throughput-quick.png)")
    p.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed")
    args = p.parse_args(argv)
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    if args.runs < 1:
        p.error("--runs must be at least 1")
    keys = [k.strip() for k in args.scenarios.split(",") if k.strip()]
    unknown = [k for k in keys if k not in SCENARIOS]
    if unknown or not keys:
        p.error(f"unknown scenario(s) {','.join(unknown)}; known: {','.join(SCENARIOS)}")
    args.scenario_keys = keys
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOL_ORDER]
    if bad or not tools:
        p.error(f"unknown tool(s) {','.join(bad)}; known: {','.join(TOOL_ORDER)}")
    args.tool_names = tools
    if args.report is None:
        args.report = str(BENCH / ("out/RESULTS-quick.md" if args.quick else "RESULTS.md"))
    if args.chart is None:
        args.chart = str(BENCH / ("out/throughput-quick.png" if args.quick else "throughput.png"))
    return args


def interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # A terminated run still stops the servers it started (the finally clauses below).
    signal.signal(signal.SIGTERM, interrupted)
    started = datetime.datetime.now(datetime.timezone.utc)
    out_root = BENCH / "out"
    ctx = Context(args=args, tools=find_tools(Path(args.ferry)), data_dir=out_root / "data",
                  work_dir=out_root / "work")
    for name, tool in ctx.tools.items():
        if name not in args.tool_names:
            tool.binary, tool.why_missing = None, "not selected (--tools)"
    for tool in ctx.tools.values():
        if not tool.binary and args.tool_names and tool.name in args.tool_names:
            log(f"note: skipping {tool.name}: {tool.why_missing}")
    if not any(t.binary for t in ctx.tools.values()):
        log("error: no tool to benchmark")
        return 1

    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        log(f"warning: load average is {load:.1f} on {os.cpu_count()} CPUs; "
            "other work on this machine will skew the timings")
    scenarios = [SCENARIOS[k](ctx) for k in args.scenario_keys]
    out_root.mkdir(parents=True, exist_ok=True)
    need = sum(s.bytes_needed() for s in scenarios)
    free = shutil.disk_usage(out_root).free
    if free < need:
        log(f"error: {rel(out_root)} needs about {need / GiB:.1f} GiB free, has {free / GiB:.1f} GiB")
        return 1
    for sc in scenarios:
        sc.prepare()
    shutil.rmtree(ctx.work_dir, ignore_errors=True)

    nginx = Nginx(ctx.data_dir, [s.nginx_http() for s in scenarios],
                  [s.nginx_server() for s in scenarios])
    done = []
    try:
        if any(sc.needs_nginx for sc in scenarios):
            nginx.start()
            ctx.base_url = nginx.base_url
            log(f"nginx on {nginx.base_url} (prefix {nginx.prefix})")
        for sc in scenarios:
            log(f"scenario ({sc.key}) {sc.title}"
                + (f", {fmt_size(sc.size)}" if hasattr(sc, "size") else ""))
            runs = sc.run()
            stats = {t: summarize(runs, t) for t in sc.tool_names()}
            targets = sc.targets(stats, runs)
            if ctx.tools["ferry"].binary and "ferry" in stats and stats.get("ferry") is None:
                # ferry ran but never produced the right file: its targets are missed, not n/a
                targets = [dataclasses.replace(t, measured="no good ferry run", status="missed")
                           if t.status == "n/a" and t.text.startswith("ferry") else t
                           for t in targets]
            done.append((sc, runs, stats, targets))
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        nginx.stop()
        shutil.rmtree(ctx.work_dir / "runs", ignore_errors=True)

    report = Path(args.report)
    printable = write_report(report, ctx, done, started, argv)
    raw = out_root / "results.json"
    raw.write_text(json.dumps([dataclasses.asdict(r) for _, runs, _, _ in done for r in runs],
                              indent=1))
    chart_msg = draw_chart(Path(args.chart), done)
    log("")
    for line in printable:
        log(line)
    log(f"report: {rel(report)}; raw runs: {rel(raw)}; {chart_msg}")
    failed = sum(not r.ok for _, runs, _, _ in done for r in runs)
    if failed:
        log(f"{failed} run(s) failed (see the report)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Build-time benchmark: plain Sphinx vs sphinx-blogposts vs ABlog on the same MyST posts.

Usage::

    python benchmarks/run.py [--sizes 100,1000,5000] [--quick] [--repeat R] [--snapshot [REF]]

Everything it makes lives in ``benchmarks/_work/`` (gitignored): two venvs, the generated
sites and ``results.json``.  Standard library only; the venvs get what they need from PyPI.
See ``benchmarks/README.md`` for what each case means.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import math
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
VENV_ABLOG = WORK / "venv-ablog"
VENV_BLOGPOSTS = WORK / "venv-blogposts"
RESULTS = WORK / "results.json"
SNAPSHOT_STAMP = ".bench-snapshot"

VARIANTS = ("plain", "blogposts", "ablog")
VENV_OF = {"plain": VENV_BLOGPOSTS, "blogposts": VENV_BLOGPOSTS, "ablog": VENV_ABLOG}
CASES = ("clean", "clean -j 2", "no-op", "body edit")
SEED = 20240601
WORDS_PER_POST = 600
BUILD_TIMEOUT = 3 * 3600
#: a build is "disturbed" when other processes used more CPU meanwhile than this share of a core
DISTURBED = 0.10

# -- the generated site ------------------------------------------------------------------------

_VOCABULARY_TEXT = """
a about above across after again against all almost along also always among an and another
any appear around as at away back be because become before begin behind being below
between both build but by call can change check clear close code come common could create
data day deep design detail different do document does down during each early easy end
enough even every example fact far fast feature few field file find first follow for form
found free from full general get give good great group grow hand happen hard have help
here high hold idea if important in include index into issue it just keep kind know large
last later learn least leave less let level light like line list little long look low
make many may mean might more most move much must name need never new next no not note
now number of off often old on once one only open or order other our out over own page
part people place plan point possible present problem process program provide put quick
quite rather read real reason release result right run same say search second see seem
set several shape short should show side simple since small so some something source start
state step still such support sure system take team test than that the their them then
there these they thing think this those though through time to together too toward tree
try turn under until up update use user value very want way well what when where which
while who whole why will with within without word work world would write year yet you
"""
VOCABULARY = tuple(_VOCABULARY_TEXT.split())

CATEGORIES = ("Engineering", "Release Notes", "Community", "Tutorials", "Performance",
              "Security", "Design", "Announcements")
TAGS = ("python", "sphinx", "docs", "markdown", "myst", "testing", "ci", "packaging",
        "performance", "security", "accessibility", "i18n", "themes", "search", "api",
        "cli", "web", "css", "javascript", "rust", "go", "databases", "cloud", "linux",
        "windows", "macos", "tooling", "editors", "git", "review", "design", "ux", "data",
        "ml", "devops", "containers", "networking", "mobile", "hardware", "community")
AUTHORS = {"alice": "Alice Archer", "bob": "Bob Baker", "carol": "Carol Chen",
           "dave": "Dave Dorsey", "erin": "Erin Ekwueme"}
FIRST_DAY = date(2019, 1, 1)
DAY_SPAN = 6 * 365  # 2019 .. 2024, all in the past, so nothing is a scheduled post
EDIT_SENTENCE = " This sentence was appended by the benchmark's body edit case."

INDEX_MD = """\
# Benchmark site

A generated site: {n} posts of about {words} words each.

```{{toctree}}
:hidden:
:glob:

posts/*
```
"""

CONF_COMMON = """\
project = "Benchmark"
author = "Benchmark"
html_theme = "alabaster"
html_sidebars = {"**": []}
exclude_patterns = ["_build"]
"""

CONF = {
    "plain": CONF_COMMON + 'extensions = ["myst_parser"]\n',
    "blogposts": CONF_COMMON
    + 'extensions = ["myst_parser", "sphinx_blogposts"]\n'
    + 'blogposts_pattern = ["posts/*"]\n'
    + "blogposts_authors = "
    + repr({k: {"name": v} for k, v in AUTHORS.items()})
    + "\n",
    "ablog": CONF_COMMON
    + 'extensions = ["myst_parser", "ablog"]\n'
    + 'blog_post_pattern = "posts/*"\n'
    + "blog_authors = "
    + repr({k: (v, None) for k, v in AUTHORS.items()})
    + "\n",
}


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(6, 18))]
    for i, word in enumerate(words):
        roll = rng.random()
        if roll < 0.02:
            words[i] = f"*{word}*"
        elif roll < 0.03:
            words[i] = f"`{word}`"
    words[0] = words[0][0].upper() + words[0][1:] if words[0][0].isalpha() else words[0]
    return " ".join(words) + rng.choice(".....?!")


def _paragraph(rng: random.Random, budget: int) -> tuple[str, int]:
    """A paragraph of 3-6 sentences, stopping early once ``budget`` words are spent."""
    sentences: list[str] = []
    used = 0
    for _ in range(rng.randint(3, 6)):
        sentence = _sentence(rng)
        sentences.append(sentence)
        used += len(sentence.split())
        if used >= budget:
            break
    return " ".join(sentences), used


def _heading(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(low, high))]
    return " ".join(w.capitalize() for w in words)


def make_post(number: int) -> str:
    """One post: front matter, a title, an intro and 2-3 ``##`` sections, ~600 words."""
    rng = random.Random(f"{SEED}-{number}")
    day = FIRST_DAY + timedelta(days=rng.randrange(DAY_SPAN))
    category = rng.choice(CATEGORIES)
    tags = rng.sample(TAGS, rng.randint(2, 4))
    author = rng.choice(list(AUTHORS))
    lines = [
        "---",
        f"date: {day.isoformat()}",
        f"category: {category}",
        f"tags: {', '.join(tags)}",
        f"author: {author}",
        "---",
        "",
        f"# {_heading(rng, 3, 7)} ({number})",
        "",
    ]
    remaining = WORDS_PER_POST
    intro, used = _paragraph(rng, 80)
    lines += [intro, ""]
    remaining -= used
    sections = rng.choice((2, 3))
    for s in range(sections):
        lines += [f"## {_heading(rng, 2, 5)}", ""]
        share = remaining // (sections - s)
        spent = 0
        while spent < share:
            para, used = _paragraph(rng, share - spent)
            lines += [para, ""]
            spent += used
        remaining -= spent
    return "\n".join(lines).rstrip("\n") + "\n"


def post_name(number: int, count: int) -> str:
    return f"post-{number:0{max(4, len(str(count)))}d}"


def generate_sources(target: Path, count: int) -> list[Path]:
    """Write ``index.md`` and ``posts/*.md`` (no conf.py) into ``target``; return the posts."""
    posts_dir = target / "posts"
    posts_dir.mkdir(parents=True)
    (target / "index.md").write_text(INDEX_MD.format(n=count, words=WORDS_PER_POST),
                                     encoding="utf-8")
    paths = []
    for number in range(1, count + 1):
        path = posts_dir / f"{post_name(number, count)}.md"
        path.write_text(make_post(number), encoding="utf-8")
        paths.append(path)
    return paths


def two_blogs(conf: str) -> str:
    """The sphinx-blogposts site's conf.py with its posts split over two blogs (odd and even
    numbers: each blog has every category, tag and author), for ``--blogs 2``."""
    return conf.replace(
        'blogposts_pattern = ["posts/*"]\n',
        'blogposts_blogs = {"even": {"path": "blog", "pattern": ["posts/*[02468]"]},\n'
        '                   "odd": {"path": "blog2", "pattern": ["posts/*[13579]"]}}\n')


#: how many blogs the sphinx-blogposts site has (``--blogs``)
BLOGS = {"count": 1}


def setup_sites(size_dir: Path, count: int) -> dict[str, Path]:
    """One source tree per variant (same posts, own conf.py), so edits never leak across."""
    if size_dir.exists():
        shutil.rmtree(size_dir)
    pristine = size_dir / "sources"
    generate_sources(pristine, count)
    sites = {}
    for variant in VARIANTS:
        site = size_dir / variant
        shutil.copytree(pristine, site / "src")
        conf = CONF[variant]
        if variant == "blogposts" and BLOGS["count"] == 2:
            conf = two_blogs(conf)
        (site / "src" / "conf.py").write_text(conf, encoding="utf-8")
        sites[variant] = site
    return sites


def edit_post(site: Path, count: int) -> str:
    """Append a sentence to the last paragraph of the middle post; return its docname."""
    docname = f"posts/{post_name(max(1, count // 2), count)}"
    path = site / "src" / f"{docname}.md"
    before = path.stat().st_mtime
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + EDIT_SENTENCE + "\n", encoding="utf-8")
    # Sphinx wants a newer mtime; make sure a coarse clock cannot hide the edit
    after = max(time.time(), before + 1)
    os.utime(path, (after, after))
    return docname


# -- venvs -------------------------------------------------------------------------------------

def _venv_bin(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


def _pip(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [_venv_bin(venv, "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check", *args]
    print(f"  $ {' '.join(cmd[1:])}", flush=True)
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def _make_venv(venv: Path) -> None:
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)


VERSION_PROBE = """
import json, sys
from importlib.metadata import version, PackageNotFoundError
out = {"python": sys.version.split()[0]}
for dist in ("sphinx", "myst-parser", "docutils", "alabaster", "ablog", "sphinx-blogposts"):
    try:
        out[dist] = version(dist)
    except PackageNotFoundError:
        pass
print(json.dumps(out))
"""


def project_state(project: Path) -> dict[str, Any]:
    """The commit and a digest of src/: the venv holds the project editable, so a run measures
    whatever src/ holds while it runs (a change mid-run is reported)."""
    digest = hashlib.sha1()
    for path in sorted((project / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes())
    state: dict[str, Any] = {"path": str(project), "src_sha1": digest.hexdigest()[:12]}
    stamp = project / SNAPSHOT_STAMP
    if stamp.exists():
        state["commit"] = stamp.read_text(encoding="utf-8").strip()[:10]
        state["src_dirty"] = False
        state["snapshot"] = True
        return state
    try:
        state["commit"] = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True).stdout.strip()
        state["src_dirty"] = bool(subprocess.run(
            ["git", "-C", str(project), "status", "--porcelain", "--", "src"],
            capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return state


def snapshot_project(ref: str) -> Path:
    """A copy of the project at a commit (``git archive``), so edits made while the benchmark
    runs cannot leak into it."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", ref], capture_output=True,
                            text=True, check=True).stdout.strip()
    target = WORK / f"project-{commit[:10]}"
    if not (target / SNAPSHOT_STAMP).exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # Python < 3.11.4; git archive of our own commit
                tar.extractall(target)
        (target / SNAPSHOT_STAMP).write_text(commit + "\n", encoding="utf-8")
    return target


def venv_versions(venv: Path) -> dict[str, str]:
    out = subprocess.run([_venv_bin(venv, "python"), "-c", VERSION_PROBE],
                         capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out))


def _fail_install(proc: subprocess.CompletedProcess[str], what: str) -> None:
    sys.stderr.write(proc.stdout + proc.stderr)
    raise SystemExit(f"installing {what} failed (exit {proc.returncode})")


def ensure_venvs(refresh: bool, project: Path) -> dict[str, Any]:
    """ABlog's venv first (latest from PyPI), then the project's with the same versions."""
    WORK.mkdir(parents=True, exist_ok=True)
    stamp = VENV_ABLOG / ".bench-installed"
    if refresh or not stamp.exists():
        print(f"Creating {VENV_ABLOG.relative_to(REPO)} (latest ABlog from PyPI) ...", flush=True)
        _make_venv(VENV_ABLOG)
        proc = _pip(VENV_ABLOG, "ablog", "myst-parser", "alabaster")
        if proc.returncode:
            _fail_install(proc, "ablog")
        stamp.write_text("ok\n", encoding="utf-8")
    ablog_versions = venv_versions(VENV_ABLOG)

    pins = [f"{dist}=={ablog_versions[dist]}"
            for dist in ("sphinx", "myst-parser", "docutils", "alabaster")
            if dist in ablog_versions]
    key = hashlib.sha1(
        (project / "pyproject.toml").read_bytes() + json.dumps([str(project), *pins]).encode()
    ).hexdigest()
    stamp = VENV_BLOGPOSTS / ".bench-installed"
    note = ""
    if refresh or not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != key:
        print(f"Creating {VENV_BLOGPOSTS.relative_to(REPO)} ({project}, editable) ...",
              flush=True)
        _make_venv(VENV_BLOGPOSTS)
        proc = _pip(VENV_BLOGPOSTS, "-e", str(project), *pins)
        if proc.returncode:
            note = "could not install ABlog's versions next to the project; unpinned install"
            print(f"  {note}:\n{proc.stderr[-2000:]}", flush=True)
            proc = _pip(VENV_BLOGPOSTS, "-e", str(project), "alabaster")
            if proc.returncode:
                _fail_install(proc, "sphinx-blogposts")
        stamp.write_text(key + "\n", encoding="utf-8")
    blogposts_versions = venv_versions(VENV_BLOGPOSTS)
    same = all(ablog_versions.get(d) == blogposts_versions.get(d)
               for d in ("sphinx", "myst-parser", "docutils"))
    return {"venv-ablog": ablog_versions, "venv-blogposts": blogposts_versions,
            "same_sphinx_myst_docutils": same, "note": note}


# -- measuring one build -----------------------------------------------------------------------

def measure_child(argv: list[str]) -> int:
    """``run.py _measure RESULT.json CPU CMD...``: run CMD, write its wall time and peak RSS.

    This process runs exactly one build, so ``RUSAGE_CHILDREN`` covers that build alone: the
    largest resident set of sphinx-build or any worker it forked and waited for.  CPU is a
    core to pin the build to (before it starts, so its workers inherit it), or ``-``.
    """
    result_path, pin, cmd = argv[0], argv[1], argv[2:]
    if pin != "-":
        os.sched_setaffinity(0, {int(pin)})
    busy_before = _busy_cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=False)
    wall = time.perf_counter() - start
    busy_after = _busy_cpu_seconds()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    foreign = None
    if busy_before is not None and busy_after is not None:
        foreign = max(0.0, busy_after - busy_before - cpu)
    Path(result_path).write_text(json.dumps({
        "returncode": proc.returncode,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        # CPU seconds that other processes of the machine used during the build
        "foreign_cpu_s": foreign,
    }), encoding="utf-8")
    return 0


def _busy_cpu_seconds() -> float | None:
    """Machine-wide non-idle CPU seconds so far (Linux /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text(encoding="utf-8").split("\n", 1)[0].split()[1:]
        ticks = [int(f) for f in fields[:8]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def _build_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH",
                        "PYTHONDONTWRITEBYTECODE")}
    # bytecode is cached (by the warm-up build), but outside src/ and the venvs
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def start_build(variant: str, site: Path, jobs: int = 1,
                cpu: int | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start one ``sphinx-build -b html -q`` in its own measuring process (on core ``cpu``,
    if given)."""
    venv = VENV_OF[variant]
    cmd = [_venv_bin(venv, "sphinx-build"), "-b", "html", "-q"]
    if jobs > 1:
        cmd += ["-j", str(jobs)]
    cmd += [str(site / "src"), str(site / "out")]
    with tempfile.NamedTemporaryFile(suffix=".json", dir=WORK, delete=False) as tmp:
        result_path = tmp.name
    wrapper = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "_measure", result_path,
         "-" if cpu is None else str(cpu), *cmd],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_build_env(venv),
        cwd=site, start_new_session=True,
    )
    return wrapper, result_path


def finish_build(variant: str, started: tuple[subprocess.Popen[str], str]) -> dict[str, Any]:
    """Wait for a build started by :func:`start_build`; its measurements and warnings."""
    wrapper, result_path = started
    try:
        _stdout, stderr = wrapper.communicate(timeout=BUILD_TIMEOUT)
        result: dict[str, Any] = json.loads(Path(result_path).read_text(encoding="utf-8"))
    except BaseException:
        with contextlib.suppress(ProcessLookupError):  # the wrapper and the build it started
            os.killpg(wrapper.pid, signal.SIGKILL)
        wrapper.wait()
        raise
    finally:
        Path(result_path).unlink(missing_ok=True)
    problems = [line for line in stderr.splitlines()
                if "WARNING" in line or "ERROR" in line or "Traceback" in line]
    result["warnings"] = len(problems)
    result["warning_samples"] = sorted(set(problems))[:5]
    if result["returncode"] != 0:
        result["stderr_tail"] = stderr[-3000:]
        print(f"    !! {variant} build failed (exit {result['returncode']}):\n"
              f"{stderr[-1500:]}", flush=True)
    return result


def build(variant: str, site: Path, jobs: int = 1) -> dict[str, Any]:
    """One ``sphinx-build -b html -q`` in its own measuring process."""
    return finish_build(variant, start_build(variant, site, jobs))


def pinnable_cores() -> list[int]:
    """Two cores to pin a side-by-side pair to, or none where that cannot be done."""
    if not hasattr(os, "sched_getaffinity"):
        return []
    cores = sorted(os.sched_getaffinity(0))
    return cores[:2] if len(cores) >= 2 else []


def side_by_side(sites: dict[str, Path], order: tuple[str, str]) -> dict[str, Any]:
    """Clean serial builds of plain Sphinx and sphinx-blogposts started together, one per core.

    Builds run one after the other share the host's speed only as far as it holds still for
    the length of a pair (at N = 5000 it moved by a third within one); builds run at the same
    time share it second by second.  They also share the memory bus and caches, equally.
    Once the faster one ends, the other has the machine to itself, which shortens the
    slower build a little: the wall ratio errs towards 1, the CPU ratio much less.  Each build
    is pinned to a core of its own (the first of ``order`` to the first core), so neither
    waits on the other's; the two virtual CPUs need not be equally fast, so the caller swaps
    them between pairs by swapping ``order``.
    """
    for variant in order:
        clean(sites[variant])
    cores = pinnable_cores()
    started = {variant: start_build(variant, sites[variant],
                                    cpu=cores[i] if cores else None)
               for i, variant in enumerate(order)}
    try:
        results = {variant: finish_build(variant, started[variant]) for variant in order}
    except BaseException:  # the first failed to finish: do not leave the other running
        for wrapper, result_path in started.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(wrapper.pid, signal.SIGKILL)
            wrapper.wait()
            Path(result_path).unlink(missing_ok=True)
        raise
    plain, ours = results["plain"], results["blogposts"]
    ok = plain["returncode"] == 0 and ours["returncode"] == 0
    return {
        "order": list(order),
        "cores": cores,
        "plain": {k: plain[k] for k in ("returncode", "wall_s", "cpu_s", "peak_rss_mb")},
        "blogposts": {k: ours[k] for k in ("returncode", "wall_s", "cpu_s", "peak_rss_mb")},
        "wall_ratio": ours["wall_s"] / plain["wall_s"] if ok else None,
        "cpu_ratio": ours["cpu_s"] / plain["cpu_s"] if ok and plain["cpu_s"] else None,
    }


def snapshot(out: Path) -> dict[str, tuple[str, int]]:
    """Every .html file of the output: content hash and mtime."""
    files = {}
    for path in out.rglob("*.html"):
        if ".doctrees" in path.parts:
            continue
        files[str(path.relative_to(out))] = (
            hashlib.sha1(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return files


def diff(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> dict[str, Any]:
    content = sorted(k for k in after if k not in before or before[k][0] != after[k][0])
    mtime = sorted(k for k in after if k not in before or before[k][1] != after[k][1])
    removed = sorted(k for k in before if k not in after)
    return {"changed": len(content) + len(removed), "mtime_changed": len(mtime),
            "removed": len(removed), "changed_files": content[:50],
            "mtime_files": mtime[:50]}


# -- a quiet machine --------------------------------------------------------------------------

@dataclass(frozen=True)
class Quiet:
    """How hard to try for builds that no other process disturbs."""

    max_wait: float = 120.0
    retries: int = 2


def _disturbed(result: dict[str, Any]) -> bool:
    return bool((result.get("foreign_cpu_s") or 0) > DISTURBED * result["wall_s"])


def wait_idle(max_wait: float) -> float:
    """Wait (at most ``max_wait`` s) until other processes use under a quarter of a core."""
    start = time.monotonic()
    while True:
        before = _busy_cpu_seconds()
        time.sleep(1.0)
        after = _busy_cpu_seconds()
        waited = time.monotonic() - start
        if before is None or after is None or after - before < 0.25 or waited >= max_wait:
            return waited


def settled(attempt: Callable[[], dict[str, Any]], quiet: Quiet) -> dict[str, Any]:
    """Run one measured build; if others disturbed it, wait for quiet and run it again.

    Each case can be repeated as is (a clean build cleans first, an edit makes a new edit),
    and the least disturbed attempt is kept.
    """
    best: dict[str, Any] | None = None
    for number in range(1, quiet.retries + 2):
        waited = wait_idle(quiet.max_wait) if quiet.max_wait > 0 else 0.0
        result = attempt()
        result["attempt"] = number
        result["waited_for_idle_s"] = round(waited, 1)
        if best is None or (result.get("foreign_cpu_s") or 0) < (best.get("foreign_cpu_s") or 0):
            best = result
        if not _disturbed(result) or result["returncode"] != 0 or number > quiet.retries:
            break
        print(f"    (attempt {number} disturbed: other processes used "
              f"{result['foreign_cpu_s']:.1f} CPU s; trying again)", flush=True)
    assert best is not None
    return best


# -- one size ----------------------------------------------------------------------------------

def clean(site: Path) -> None:
    shutil.rmtree(site / "out", ignore_errors=True)


def run_size(count: int, repeat: int, quiet: Quiet, project: Path,
             clean_repeat: int = 0, together: int = 0) -> dict[str, Any]:
    size_dir = WORK / f"n{count}"
    print(f"\n== N = {count}: generating sources in {size_dir.relative_to(REPO)} ...",
          flush=True)
    sites = setup_sites(size_dir, count)
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        case: {v: [] for v in VARIANTS} for case in CASES}
    html_files: dict[str, int] = {}

    def record(case: str, variant: str, result: dict[str, Any]) -> None:
        runs[case][variant].append(result)
        extra = ""
        if "changed" in result:
            extra = f", html changed {result['changed']}, rewritten {result['mtime_changed']}"
        foreign = result.get("foreign_cpu_s")
        if foreign is not None and foreign > DISTURBED * result["wall_s"]:
            extra += f"  (disturbed: other processes used {foreign:.1f} CPU s meanwhile)"
        print(f"  [{case:>10}] {variant:>9}: {result['wall_s']:8.2f} s, "
              f"{result['peak_rss_mb']:7.1f} MB, warnings {result['warnings']}{extra}",
              flush=True)

    def clean_build(variant: str, jobs: int) -> dict[str, Any]:
        clean(sites[variant])
        return build(variant, sites[variant], jobs=jobs)

    def rebuild(variant: str, edit: bool) -> dict[str, Any]:
        before = snapshot(sites[variant] / "out")
        result = {"edited": edit_post(sites[variant], count)} if edit else {}
        result.update(build(variant, sites[variant]))
        result.update(diff(before, snapshot(sites[variant] / "out")))
        return result

    for rep in range(repeat):
        if repeat > 1:
            print(f"  -- repetition {rep + 1}/{repeat}", flush=True)
        for variant in VARIANTS:
            record("clean", variant, settled(partial(clean_build, variant, 1), quiet))
            html_files[variant] = len(snapshot(sites[variant] / "out"))
        for variant in VARIANTS:
            record("no-op", variant, settled(partial(rebuild, variant, False), quiet))
        for variant in VARIANTS:
            record("body edit", variant, settled(partial(rebuild, variant, True), quiet))
        for variant in VARIANTS:
            record("clean -j 2", variant, settled(partial(clean_build, variant, 2), quiet))
    # the closest targets, clean builds (serial and -j 2) against plain Sphinx, measured more
    # often (ABlog's figures are only for scale); plain and blogposts alternate, so drifts of
    # the host's speed fall on both, and which goes first alternates too (the first
    # repetition above ran plain first), so a host that keeps slowing down (or speeding up)
    # favours neither
    for rep in range(repeat, clean_repeat):
        order = ("plain", "blogposts") if rep % 2 == 0 else ("blogposts", "plain")
        print(f"  -- extra clean builds {rep + 1}/{clean_repeat} (serial and -j 2; "
              f"{', '.join(order)})", flush=True)
        for case, jobs in (("clean", 1), ("clean -j 2", 2)):
            for variant in order:
                record(case, variant,
                       settled(partial(clean_build, variant, jobs), quiet))
    pairs: list[dict[str, Any]] = []
    for rep in range(together):
        order = ("plain", "blogposts") if rep % 2 == 0 else ("blogposts", "plain")
        if quiet.max_wait > 0:
            wait_idle(quiet.max_wait)
        pair = side_by_side(sites, order)
        pairs.append(pair)
        print(f"  [  together] {rep + 1}/{together}: plain {pair['plain']['wall_s']:8.2f} s "
              f"({pair['plain']['cpu_s']:.1f} CPU s), blogposts "
              f"{pair['blogposts']['wall_s']:8.2f} s ({pair['blogposts']['cpu_s']:.1f} CPU s)",
              flush=True)

    summary: dict[str, Any] = {}
    for case in CASES:
        summary[case] = {}
        for variant in VARIANTS:
            results = runs[case][variant]
            ok = [r for r in results if r["returncode"] == 0]
            entry: dict[str, Any] = {
                "wall_s": statistics.median(r["wall_s"] for r in ok) if ok else None,
                "cpu_s": statistics.median(r["cpu_s"] for r in ok) if ok else None,
                "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in ok) if ok else None,
                "failed": len(results) - len(ok),
                "disturbed_runs": sum(
                    1 for r in results
                    if (r.get("foreign_cpu_s") or 0) > DISTURBED * r["wall_s"]),
                "warnings": results[-1]["warnings"],
                "runs": results,
            }
            if "changed" in results[-1]:
                entry["changed"] = results[-1]["changed"]
                entry["mtime_changed"] = results[-1]["mtime_changed"]
            summary[case][variant] = entry
    paired = {case: paired_ratios(runs[case]["plain"], runs[case]["blogposts"])
              for case in CASES}
    return {"posts": count, "repeat": repeat, "clean_repeat": max(repeat, clean_repeat),
            "html_files": html_files, "cases": summary, "paired": paired,
            "together": together_summary(pairs), "project_after": project_state(project)}


def together_summary(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """The side-by-side pairs, the medians of their ratios, and the median over swapped
    pairs (see :func:`swapped_means`)."""
    walls = [p["wall_ratio"] for p in pairs if p["wall_ratio"] is not None]
    cpus = [p["cpu_ratio"] for p in pairs if p["cpu_ratio"] is not None]
    swapped = swapped_means([p["wall_ratio"] for p in pairs])
    return {"pairs": pairs, "failed": len(pairs) - len(walls),
            "wall_median": statistics.median(walls) if walls else None,
            "cpu_median": statistics.median(cpus) if cpus else None,
            "wall_swapped": swapped,
            "wall_swapped_median": statistics.median(swapped) if swapped else None}


def swapped_means(ratios: list[float | None]) -> list[float]:
    """The geometric mean of each two consecutive pairs (1st and 2nd, 3rd and 4th, ...).

    Consecutive pairs ran with the cores swapped.  If one core is a factor ``s`` faster than
    the other, one pair measures ``r * s`` and the next ``r / s``: their geometric mean is
    ``r`` whatever ``s`` is, while the median of the pairs errs towards the arithmetic mean
    ``r * (s + 1/s) / 2``, above ``r``.  On this VM ``s`` has been up to 1.2 and drifts over
    minutes, so pairs next to each other are combined.  A failed pair drops its couple.
    """
    return [math.sqrt(a * b) for a, b in zip(ratios[0::2], ratios[1::2], strict=False)
            if a is not None and b is not None]


def paired_ratios(plain: list[dict[str, Any]], ours: list[dict[str, Any]]) -> dict[str, Any]:
    """sphinx-blogposts over plain Sphinx for each pair of builds run one right after the
    other (the i-th of each), and their median.

    The host's speed drifts by more than the targets' margin within minutes, and a pair's two
    builds share the drift, so the median of the pairs' ratios is the steadier figure; the
    ratio of the two columns' medians is printed beside it."""
    ratios = [b["wall_s"] / a["wall_s"] for a, b in zip(plain, ours, strict=False)
              if a["returncode"] == 0 and b["returncode"] == 0 and a["wall_s"] > 0]
    return {"blogposts/plain": ratios,
            "median": statistics.median(ratios) if ratios else None}


# -- report ------------------------------------------------------------------------------------

def _fmt(value: float | None, spec: str) -> str:
    return "FAIL" if value is None else format(value, spec)


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def _paired(paired: dict[str, Any] | None) -> str:
    median = paired.get("median") if paired else None
    return "-" if median is None else f"{median:.2f}x"


def table(size: dict[str, Any]) -> str:
    head = ("case", "plain s", "blogposts s", "ablog s", "bp/plain", "pairs", "bp/ablog",
            "plain MB", "bp MB", "ablog MB", "CPU s p/b/a", "changed p/b/a", "rewritten p/b/a")
    rows: list[tuple[str, ...]] = [head]
    for case in CASES:
        data = size["cases"][case]
        walls = [data[v]["wall_s"] for v in VARIANTS]
        rss = [data[v]["peak_rss_mb"] for v in VARIANTS]
        cpu = "/".join(_fmt(data[v]["cpu_s"], ".1f") for v in VARIANTS)
        if "changed" in data["plain"]:
            changed = "/".join(str(data[v].get("changed", "?")) for v in VARIANTS)
            rewritten = "/".join(str(data[v].get("mtime_changed", "?")) for v in VARIANTS)
        else:
            changed = rewritten = "-"
        rows.append((case, *(_fmt(w, ".2f") for w in walls),
                     _ratio(walls[1], walls[0]), _paired(size.get("paired", {}).get(case)),
                     _ratio(walls[1], walls[2]),
                     *(_fmt(r, ".0f") for r in rss), cpu, changed, rewritten))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                           strict=True)]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    disturbed = [f"{case} {variant} ({size['cases'][case][variant]['disturbed_runs']}/"
                 f"{len(size['cases'][case][variant]['runs'])})"
                 for case in CASES for variant in VARIANTS
                 if size["cases"][case][variant].get("disturbed_runs")]
    if disturbed:
        lines.append("disturbed by other processes (runs/all; see foreign_cpu_s in the JSON): "
                     + ", ".join(disturbed))
    files = size["html_files"]
    warn = {v: max(size["cases"][c][v]["warnings"] for c in CASES) for v in VARIANTS}
    lines.append(f"html files in output: plain {files.get('plain')}, blogposts "
                 f"{files.get('blogposts')}, ablog {files.get('ablog')}; most warnings in a "
                 f"build: plain {warn['plain']}, blogposts {warn['blogposts']}, "
                 f"ablog {warn['ablog']}")
    return "\n".join(lines)


def together_line(together: dict[str, Any]) -> str:
    """The side-by-side clean serial builds as one line under the table."""
    pairs = together["pairs"]
    walls = " ".join("FAIL" if p["wall_ratio"] is None else f"{p['wall_ratio']:.3f}"
                     for p in pairs)
    cpus = " ".join("FAIL" if p["cpu_ratio"] is None else f"{p['cpu_ratio']:.3f}"
                    for p in pairs)
    swapped = " ".join(f"{r:.3f}" for r in together.get("wall_swapped", [])) or "-"
    return (f"clean, plain and blogposts side by side ({len(pairs)} pairs started together, "
            f"serial, each pinned to a core, cores swapped between pairs): "
            f"blogposts/plain wall {walls} (median "
            f"{_paired({'median': together['wall_median']})}), CPU {cpus} (median "
            f"{_paired({'median': together['cpu_median']})}); swapped couples (geometric "
            f"mean of pairs 1-2, 3-4, ...) {swapped} (median "
            f"{_paired({'median': together.get('wall_swapped_median')})})")


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": cpu or platform.processor(),
        "memory_gib": mem_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def print_versions(versions: dict[str, Any], machine: dict[str, Any]) -> None:
    a, b = versions["venv-ablog"], versions["venv-blogposts"]
    print("\nVersions:")
    print(f"  Python {b.get('python')} (runner {platform.python_version()})")
    print(f"  Sphinx {b.get('sphinx')} (blogposts/plain venv), {a.get('sphinx')} (ABlog venv)")
    print(f"  myst-parser {b.get('myst-parser')} / {a.get('myst-parser')}, "
          f"docutils {b.get('docutils')} / {a.get('docutils')}, "
          f"alabaster {b.get('alabaster')} / {a.get('alabaster')}")
    state = versions.get("project", {})
    dirty = " + uncommitted src/ changes" if state.get("src_dirty") else ""
    if state.get("snapshot"):
        dirty = ", a snapshot copy"
    print(f"  ABlog {a.get('ablog')}, sphinx-blogposts {b.get('sphinx-blogposts')} (commit "
          f"{state.get('commit', '?')}{dirty}, src/ digest {state.get('src_sha1')})")
    if versions.get("note"):
        print(f"  note: {versions['note']}")
    print(f"Machine: {machine['nproc']} CPUs ({machine['cpu_model']}), "
          f"{machine['memory_gib']} GiB RAM, {machine['os']}")


def warm_up() -> None:
    """A tiny build per venv first, so no measured build pays for bytecode compilation."""
    site_dir = WORK / "warmup"
    sites = setup_sites(site_dir, 5)
    for variant in VARIANTS:
        result = build(variant, sites[variant])
        if result["returncode"] != 0:
            raise SystemExit(f"warm-up build of {variant} failed; see the output above")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_measure"]:
        return measure_child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated post counts (default 100,1000,5000)")
    parser.add_argument("--quick", action="store_true",
                        help="CI smoke test: N=20, one repetition (under ~2 minutes)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="repetitions per size; medians are reported "
                             "(default 3 for N <= 100, else 1; 1 with --quick)")
    parser.add_argument("--clean-repeat", type=int, default=0, metavar="K",
                        help="run the clean builds (serial and -j 2) of plain Sphinx and "
                             "sphinx-blogposts K times in all, alternating (medians reported; "
                             "ABlog's stay at --repeat)")
    parser.add_argument("--together", type=int, default=0, metavar="K",
                        help="also run K pairs of clean serial builds of plain Sphinx and "
                             "sphinx-blogposts started at the same time, each pinned to a "
                             "core of its own, the cores swapped between pairs (the host's "
                             "drift over time falls on both alike; medians reported)")
    parser.add_argument("--max-wait", type=float, default=None,
                        help="seconds to wait for other processes to go quiet before each "
                             "build (default 120; 2 with --quick; 0: never wait)")
    parser.add_argument("--retries", type=int, default=None,
                        help="extra attempts of a build that other processes disturbed "
                             "(default 2; 0 with --quick)")
    parser.add_argument("--snapshot", nargs="?", const="HEAD", default=None, metavar="REF",
                        help="benchmark a copy of the project at a commit (default HEAD) "
                             "instead of the live work tree")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help=f"where to write the JSON (default {RESULTS.relative_to(REPO)})")
    parser.add_argument("--blogs", type=int, choices=(1, 2), default=1,
                        help="split the sphinx-blogposts site's posts over two blogs "
                             "(blogposts_blogs; odd and even posts), to compare with one")
    parser.add_argument("--refresh-venvs", action="store_true",
                        help="recreate both venvs (fetches the latest ABlog again)")
    args = parser.parse_args(argv)
    sizes = [20] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    BLOGS["count"] = args.blogs
    if not sizes or any(n < 1 for n in sizes):
        parser.error("--sizes needs positive integers")

    quiet = Quiet(
        max_wait=args.max_wait if args.max_wait is not None else (2.0 if args.quick else 120.0),
        retries=args.retries if args.retries is not None else (0 if args.quick else 2),
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so running builds are killed
    started = time.perf_counter()
    project = snapshot_project(args.snapshot) if args.snapshot else REPO
    versions = ensure_venvs(args.refresh_venvs, project)
    versions["project"] = project_state(project)
    machine = machine_info()
    print_versions(versions, machine)
    warm_up()

    report: dict[str, Any] = {"machine": machine, "versions": versions, "sizes": {},
                              "blogs": args.blogs,
                              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    for count in sizes:
        repeat = args.repeat or (1 if args.quick or count > 100 else 3)
        report["sizes"][str(count)] = run_size(count, repeat, quiet, project,
                                               clean_repeat=args.clean_repeat,
                                               together=args.together)
        report["elapsed_s"] = time.perf_counter() - started
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(report, indent=2), encoding="utf-8")

    print_versions(versions, machine)
    for count in sizes:
        size = report["sizes"][str(count)]
        reps = size["repeat"]
        extra = size.get("clean_repeat", reps)
        runs = f"median of {reps}" if reps > 1 else "1 run"
        if extra > reps:
            runs += f"; clean and clean -j 2 of plain and blogposts: median of {extra}"
        print(f"\nN = {count} posts ({runs}; "
              "s = wall seconds; bp/plain = ratio of the medians, pairs = median of the "
              "ratios of builds run one right after the other; "
              "MB = peak RSS of the largest process of the build, "
              "CPU s = user+sys of all its processes; changed/rewritten = .html files whose "
              "content/mtime changed)")
        print(table(size))
        together = size.get("together") or {}
        if together.get("pairs"):
            print(together_line(together))
    moved = [n for n, size in report["sizes"].items()
             if size["project_after"].get("src_sha1") != versions["project"]["src_sha1"]]
    if moved:
        print(f"\nWARNING: src/ changed while the benchmark ran (noticed after N = "
              f"{', '.join(moved)}): those figures mix two versions of sphinx-blogposts.")
    failed = sum(entry["failed"] for size in report["sizes"].values()
                 for case in size["cases"].values() for entry in case.values())
    failed += sum((size.get("together") or {}).get("failed", 0)
                  for size in report["sizes"].values())
    print(f"\nResults written to {args.results}; total "
          f"{time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""One command per chore: ``python3 tasks.py demo|test|lint|bench``.

Each chore first makes sure a virtual environment in ``.venv`` holds the project and the
extras the chore needs (installing them on a fresh machine that has only Python), then runs.
It uses nothing but the standard library so that it works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"

EXTRAS = {"demo": "", "test": "test", "lint": "test", "bench": "test,bench"}


def _ensure_env(extras: str) -> None:
    """Create ``.venv`` and install the project with ``extras`` when the inputs changed."""
    if not PY.exists():
        print(f"Creating the virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        subprocess.run([PY, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    print(f"Installing critchem{f'[{extras}]' if extras else ''} ...", flush=True)
    subprocess.run([PY, "-m", "pip", "install", "-q", "-e", target], cwd=ROOT, check=True)
    stamp.write_text(digest)


def _run(*args: str | Path) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT).returncode


def demo(args: list[str]) -> int:
    """Set up and run the main job on the bundled data."""
    _ensure_env(EXTRAS["demo"])
    return _run(BIN / "critchem", "demo", *args)


def lint(args: list[str]) -> int:
    """Static checks: ruff and mypy."""
    _ensure_env(EXTRAS["lint"])
    paths = [p for p in ("src", "tests", "bench", "scripts", "tasks.py") if (ROOT / p).exists()]
    code = _run(PY, "-m", "ruff", "check", *paths)
    code |= _run(PY, "-m", "ruff", "format", "--check", *paths)
    return code | _run(PY, "-m", "mypy")


def test(args: list[str]) -> int:
    """Set up and run the whole test suite (static checks included)."""
    _ensure_env(EXTRAS["test"])
    code = lint([])
    workers = os.environ.get("CRITCHEM_TEST_WORKERS", "2")
    return code | _run(
        PY, "-m", "pytest", "-n", workers, "--dist", "loadgroup", "--durations=15", *args
    )


def bench(args: list[str]) -> int:
    """Run the benchmarks in ``bench/`` (on demand, not part of the tests)."""
    _ensure_env(EXTRAS["bench"])
    return _run(PY, "-m", "bench", *args)


CHORES = {"demo": demo, "test": test, "lint": lint, "bench": bench}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in CHORES:
        print(__doc__)
        print("chores:", ", ".join(CHORES))
        return 2
    return CHORES[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run the benchmarks: every ``bench_*.py`` module of this folder, or one of them.

    python -m bench                      # each module's main() with its own defaults
    python -m bench ingest --rows 1000000  # one module (bench_ingest), with its arguments
    python -m bench --list

Modules are found by name in this folder (no registry to keep up to date); each exposes a
``main()`` that takes an optional argument list.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def modules() -> list[str]:
    """The benchmark modules of this folder, by name (``bench_ingest`` ...)."""
    return sorted(path.stem for path in FOLDER.glob("bench_*.py"))


def run(name: str, argv: list[str]) -> int:
    """Run one benchmark module's ``main``; its exit status."""
    module = importlib.import_module(f"bench.{name}")
    main = module.main
    takes_arguments = bool(inspect.signature(main).parameters)
    result = main(argv) if takes_arguments else main()
    return int(result or 0)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    names = modules()
    if args[:1] == ["--list"]:
        print("\n".join(names))
        return 0
    if args and not args[0].startswith("-"):
        wanted = args[0] if args[0].startswith("bench_") else f"bench_{args[0]}"
        if wanted not in names:
            print(f"no benchmark {args[0]!r}; known: {', '.join(names)}", file=sys.stderr)
            return 2
        return run(wanted, args[1:])
    status = 0
    for name in names:
        print(f"== {name}", flush=True)
        status = max(status, run(name, []))
    return status


if __name__ == "__main__":
    sys.exit(main())

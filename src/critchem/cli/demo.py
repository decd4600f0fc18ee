"""``critchem demo``: the main job on the bundled data."""

from __future__ import annotations

from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.services import molecules as molecule_service


@handle_errors
def demo(fmt: Format = FORMAT_OPTION) -> None:
    """Resolve the registry and show the critical-molecule candidates with their codes."""
    console = Console(stderr=True)
    from critchem.molecules import load_registry

    registry = load_registry()
    console.print(
        f"Registry {registry.version}: {len(registry)} molecules, "
        f"{sum(len(m.codes) for m in registry)} CAS ⇄ CN8 links, all CN8 codes checked against CN2025."
    )
    candidates = molecule_service.critical_candidates()
    rows = [
        {
            "name": m.name,
            "cas": m.cas,
            "cn8": m.cn8,
            "hs6": m.hs6,
            "cn_label": [c.label.split(" › ")[-1] for c in m.codes],
            "value_chain": m.value_chain,
        }
        for m in candidates
    ]
    render(rows, fmt, title=f"Critical-molecule candidates ({len(rows)}, March 2025 non-paper)")

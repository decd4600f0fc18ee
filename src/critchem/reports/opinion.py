"""Publication of the Alliance's adopted opinions and recommendations as HTML and PDF.

The HTML fills ``templates/opinion.html.j2`` (the text is Markdown, rendered without raw
HTML); the PDF is typeset with fpdf2 in DejaVu Sans (the font matplotlib ships), so every EU
language and Turkish print correctly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from critchem.alliance.schemas import MeetingOut, MotionOut
from critchem.reports.render import render

KIND = {"opinion": "Opinion", "recommendation": "Recommendation"}


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": False}).render(text))


def opinion_html(motion: MotionOut, meeting: MeetingOut | None) -> str:
    """The published text as a standalone HTML page."""
    return render(
        "opinion.html.j2",
        motion=motion,
        meeting=meeting,
        kind=KIND.get(motion.kind, motion.kind.title()),
        body_html=_markdown(motion.text),
    )


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise RuntimeError("matplotlib is needed for the PDF font (DejaVu Sans)")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def opinion_pdf(motion: MotionOut, meeting: MeetingOut | None) -> bytes:
    """The published text as a PDF: title, number and date, result of the vote, text."""
    from fpdf import FPDF

    fonts = _font_dir()
    pdf = FPDF(format="A4")
    pdf.set_title(f"{motion.number} {motion.title}")
    pdf.set_creator("critchem")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, "Critical Chemicals Alliance", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 16)
    kind = KIND.get(motion.kind, motion.kind.title())
    pdf.multi_cell(0, 8, f"{kind} {motion.number or ''}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, motion.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    when = motion.published_at.date().isoformat() if motion.published_at else "not published"
    adopted_at = f" at {meeting.title} ({meeting.date.isoformat()})" if meeting else ""
    pdf.multi_cell(
        0,
        6,
        f"Adopted{adopted_at}: {motion.yes} yes, {motion.no} no, {motion.abstain} abstentions "
        f"of {motion.members} members. Published {when}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    for paragraph in motion.text.split("\n\n"):
        line = paragraph.strip()
        if line.startswith("#"):
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(0, 7, line.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 11)
        elif line:
            pdf.multi_cell(0, 6, " ".join(line.split()), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if motion.citations:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(0, 7, "Evidence cited", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for citation in motion.citations:
            pdf.multi_cell(0, 6, f"- {citation}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

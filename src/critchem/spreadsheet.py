"""Spreadsheet-safe text cells: neutralise what Excel or LibreOffice would run as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
for a formula (or DDE call) when a CSV is opened, and ``openpyxl`` writes a string starting
with ``=`` as a live formula. Following the OWASP "CSV Injection" guidance, such a cell is
prefixed with a single quote, which spreadsheets show as text; ``restore`` undoes it on import.
Numbers are written as numbers, never through these functions.
"""

from __future__ import annotations

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell."""


def neutralise(text: str) -> str:
    """``text`` made inert for a spreadsheet.

    >>> neutralise('=WEBSERVICE("http://x")'), neutralise("Ammonia plant"), neutralise("-5 t")
    ('\\'=WEBSERVICE("http://x")', 'Ammonia plant', "'-5 t")
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The text ``neutralise`` was given (a quote before a formula start is dropped).

    >>> restore(neutralise("=1+1")), restore("'quoted'")
    ('=1+1', "'quoted'")
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text

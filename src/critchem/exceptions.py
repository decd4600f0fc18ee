"""Every error critchem raises, in one place.

Each error carries a message that says what was wrong and where, so that the CLI and the API
can show it to the user as it is.
"""

from __future__ import annotations


class CritchemError(Exception):
    """Base class of all critchem errors."""


class InvalidCodeError(CritchemError, ValueError):
    """A CAS number, EC number, CN or HS code is malformed or fails its check."""


class InvalidCasError(InvalidCodeError):
    """A CAS registry number is malformed or its check digit is wrong."""


class InvalidEcError(InvalidCodeError):
    """An EC (EINECS/ELINCS/NLP) number is malformed or its check digit is wrong."""


class InvalidCnCodeError(InvalidCodeError):
    """A Combined Nomenclature code is malformed or unknown in its nomenclature year."""


class InvalidHsCodeError(InvalidCodeError):
    """A Harmonized System code is malformed or unknown in its edition."""


class UnknownCountryError(CritchemError, LookupError):
    """A country or partner code is not known."""


class NotFoundError(CritchemError, LookupError):
    """Nothing matches the query; ``suggestions`` lists the closest known names."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions: list[str] = suggestions or []


class ReferenceDataError(CritchemError):
    """A shipped reference data file is inconsistent (names the file and the row)."""


class TradeFormatError(CritchemError, ValueError):
    """A trade file does not have the layout its source expects (names the file and the column)."""


class IngestError(CritchemError):
    """A trade file could not be stored, or its row counts do not reconcile (names the file)."""


class FetchError(CritchemError):
    """A download failed: HTTP error, truncated transfer or checksum mismatch (names the URL)."""


class MethodologyError(CritchemError, ValueError):
    """A methodology file is invalid: names the file, the key and why (unknown indicator, bad weight)."""


class UnknownMethodologyError(NotFoundError):
    """No methodology is registered under that name; ``suggestions`` lists the registered ones."""


class AssessmentInputError(CritchemError, ValueError):
    """An assessment input file is malformed: names the file, the 1-based line, the column and why."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column

    @classmethod
    def at(cls, file: str, line: int, column: str, why: str) -> AssessmentInputError:
        """The error for one cell: ``file, line N, column 'c': why``."""
        return cls(
            f"{file}, line {line}, column {column!r}: {why}", file=file, line=line, column=column
        )


class BackendUnavailableError(CritchemError, RuntimeError):
    """A query backend cannot start (Java or PySpark missing, unknown backend name)."""


class AlertNotFoundError(NotFoundError):
    """No alert has that id (names the id and the database)."""


class AlertStateError(CritchemError, ValueError):
    """An alert cannot make the requested transition (names the alert, its state and why)."""

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

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


class QueryError(CritchemError, ValueError):
    """A query parameter (frequency, reporter ...) that is not one of the accepted values."""


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


class AccountError(CritchemError, ValueError):
    """An account request is invalid: unknown role, taken user name, too short a password."""


class UserNotFoundError(NotFoundError):
    """No user has that name (or no API key has that id)."""


class UsernameTakenError(AccountError):
    """A user with that name exists already (names it)."""


class AuthenticationError(CritchemError):
    """The credentials are missing, wrong or expired, or the account is disabled."""


class PermissionDeniedError(CritchemError):
    """The authenticated user's role is too low for the request (names the role needed)."""


class RateLimitedError(CritchemError):
    """Too many failed attempts; ``retry_after`` says how many seconds to wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InsecureSettingsError(CritchemError):
    """The settings are unsafe for the environment (the default secret key in production)."""


class ProjectValidationError(CritchemError, ValueError):
    """A pipeline project is invalid: names the field, the value and why."""

    def __init__(self, message: str, *, field: str = "", value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class ProjectNotFoundError(NotFoundError):
    """No project of the pipeline has that id (names the id and the pipeline)."""


class PipelineError(CritchemError):
    """The pipeline store or an import file cannot be used (names the file and why)."""


class InstrumentCatalogueError(CritchemError, ValueError):
    """The funding-instrument catalogue is invalid: names the instrument and the field."""


class CostItemError(CritchemError, ValueError):
    """Cost items or their allocations are invalid: names the row (or position) and field."""


class SelectionMethodError(CritchemError, ValueError):
    """The selection method file is invalid: names the criterion and the key."""


class PortfolioError(CritchemError, ValueError):
    """A portfolio problem or scenario is invalid (names the instrument, project or option)."""


class SolverError(CritchemError, RuntimeError):
    """A portfolio solve failed in its process (names the solver and what happened)."""


class AllianceError(CritchemError, ValueError):
    """An Alliance request breaks a rule (membership, voting, drafting); the message says which."""


class AllianceNotFoundError(NotFoundError):
    """No organisation, body, meeting or motion of the Alliance has that id or name."""


class EvidenceError(CritchemError, ValueError):
    """An evidence value or an indicator family is inconsistent (names the molecule, indicator and why)."""


class ProdcomFormatError(CritchemError, ValueError):
    """A PRODCOM file (or correspondence table) is not in a known layout: names the file and why."""


class CarbonInputError(CritchemError, ValueError):
    """A footprint, roll-up or CBAM input file is unreadable or invalid (names the file, row and field)."""


class PactError(CritchemError):
    """A PACT action refused: ``status`` (HTTP) and ``code`` (the specification's Error code).

    ``code`` is one of ``BadRequest``, ``AccessDenied``, ``TokenExpired``, ``NotFound``,
    ``InternalError`` and ``NotImplemented`` (PACT Technical Specifications v3, data type
    ``Error``); the message says what was wrong and where.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class PactAuthError(CritchemError):
    """A PACT token request refused, as an OAuth 2.0 error (RFC 6749 section 5.2)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error


class CustodyError(CarbonInputError):
    """Chain-of-custody records that break a rule: ``problems`` lists each, naming its records."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems))
        self.problems = problems

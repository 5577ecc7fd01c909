"""One exception hierarchy; the CLI maps each class to a documented exit code."""
import re


class KgError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class UsageError(KgError):
    """The command line or an argument is wrong."""

    exit_code = 2


class InputError(KgError):
    """An input file cannot be read or has bad content (names the file)."""

    exit_code = 3


class DataFileError(KgError):
    """A shipped data file (lexicon, rules, ontology) is invalid; lists every problem."""

    exit_code = 4

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "; ".join(self.problems[:20])
        more = f" (+{len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"{self.path}: {lines}{more}")


class ModelMissingError(KgError):
    """The spaCy model package is not installed."""

    exit_code = 5


class GraphNotFoundError(KgError):
    """A command that reads a build was pointed at a folder with no build."""

    exit_code = 6


class QueryError(KgError):
    """A named query is unknown, or a SPARQL query is malformed."""

    exit_code = 7


class StoreError(KgError):
    """The RDF store (embedded or remote) failed."""

    exit_code = 8


class ValidationFailed(KgError):
    """SHACL validation found violations."""

    exit_code = 9


# A build that finished but could not read some inputs (each named in report.json and on stderr).
BUILT_WITH_ERRORS = 10


class BuildLockedError(KgError):
    """Another build is writing into the same output folder."""

    exit_code = 11


# Documented in the README; keep the two in step (tests/test_docs.py checks).
EXIT_CODES = {
    0: "success",
    1: "unexpected error",
    UsageError.exit_code: "bad command-line usage",
    InputError.exit_code: "an input file cannot be read",
    DataFileError.exit_code: "a shipped data file is invalid",
    ModelMissingError.exit_code: "the spaCy model package is missing",
    GraphNotFoundError.exit_code: "no build found at --graph",
    QueryError.exit_code: "unknown or malformed query",
    StoreError.exit_code: "the RDF store failed",
    ValidationFailed.exit_code: "the graph does not conform to its shapes",
    BUILT_WITH_ERRORS: "built, but some inputs had errors (named on stderr and in report.json)",
    BuildLockedError.exit_code: "another build holds the output folder",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text) -> str:
    """``text`` with control and bidirectional-override characters escaped (``\\x1b``), so a
    file name cannot move the cursor, recolour or reorder a terminal line."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))

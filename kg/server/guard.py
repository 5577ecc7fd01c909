"""Checks on a query's text before it reaches the engine.

The text is read token by token as SPARQL's grammar splits it (strings, IRIs and comments
are skipped whole), so a word inside a literal or an IRI never trips a check.

* ``SERVICE`` makes the engine send requests to any URL the query names (server-side request
  forgery, reachable from any web page through the user's browser): refused unless the server
  was started with ``--allow-service``.
* Deep nesting crashes the engine's recursive parser (a segmentation fault in the worker):
  more than ``MAX_NESTING`` open brackets at once is refused.

``check_query`` also says whether the answer may be kept for the build (kg.server.cache): not
when the query calls a function whose value changes from one run to the next, or SERVICE.
"""
from __future__ import annotations

import re

from .protocol import ProtocolError

MAX_NESTING = 64  # deepest { ( [ nesting accepted; the shipped queries need under 10
# functions whose value differs between two runs of one query over one store
VOLATILE = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE", "SERVICE"})

# strings (long forms first), IRIs, comments, words, brackets; anything else one character
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>'
    r'|#[^\n\r]*'
    r'|[A-Za-z_][A-Za-z0-9_\-]*'
    r'|[{(\[]|[})\]]'
    r'|\s+|.', re.S)


def check_query(text: str, *, allow_service: bool = False) -> bool:
    """Raise ProtocolError(400) for a query this server will not run; else True when its answer
    is fixed by the store (no RAND(), NOW(), UUID(), STRUUID(), BNODE() nor SERVICE)."""
    depth = 0
    fixed = True
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        first = token[0]
        if first in "{([":
            depth += 1
            if depth > MAX_NESTING:
                raise ProtocolError(400, f"the query nests brackets more than {MAX_NESTING} deep; "
                                         "this server does not run it")
        elif first in "})]":
            depth = max(0, depth - 1)
        elif (first.isalpha() and token.upper() == "SERVICE" and not allow_service
              and text[m.start() - 1:m.start()] not in (":", "?", "$") and text[m.end():m.end() + 1] != ":"):
            raise ProtocolError(400, "SERVICE (a federated query, which fetches from another server) is "
                                     "turned off on this endpoint; start 'kg serve --allow-service' to allow it")
        elif fixed and first.isalpha() and token.upper() in VOLATILE:
            fixed = False  # a prefixed name such as ex:now also counts: not keeping it costs little
    return fixed

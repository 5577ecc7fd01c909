"""Checks on a query's text before it reaches the engine.

The text is read token by token as SPARQL's grammar splits it (strings, IRIs and comments
are skipped whole), so a word inside a literal or an IRI never trips a check.

* ``SERVICE`` makes the engine send requests to any URL the query names (server-side request
  forgery, reachable from any web page through the user's browser): refused unless the server
  was started with ``--allow-service``.
* Deep nesting crashes the engine's recursive parser (a segmentation fault in the worker):
  more than ``MAX_NESTING`` open brackets at once is refused.
"""
from __future__ import annotations

import re

from .protocol import ProtocolError

MAX_NESTING = 64  # deepest { ( [ nesting accepted; the shipped queries need under 10

# strings (long forms first), IRIs, comments, words, brackets; anything else one character
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>'
    r'|#[^\n\r]*'
    r'|[A-Za-z_][A-Za-z0-9_\-]*'
    r'|[{(\[]|[})\]]'
    r'|\s+|.', re.S)


def check_query(text: str, *, allow_service: bool = False) -> None:
    """Raise ProtocolError(400) for a query this server will not run."""
    depth = 0
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

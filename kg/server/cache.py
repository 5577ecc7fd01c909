"""Answers already given for one build, kept so a repeated query skips the worker.

A build's store is read-only and a rebuild is a new folder (kg.output), so a query's answer
is fixed for the life of one build. Each build the server opens gets its own
:class:`ResultCache`, dropped with it: an answer is never served for another build than the
one it was computed on. The key is everything that decides the bytes of the answer: the
query text, the negotiated result and RDF formats and the dataset (default and named graphs,
union default graph or not).

Bounded by total bytes (least recently used answers go first); answers over a share of the
bound are not kept, so one large result cannot push out many small ones.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Optional

DEFAULT_CACHE_BYTES = 64_000_000  # answers kept per build, in bytes of their bodies


class ResultCache:
    """A thread-safe LRU of ``key -> (content type, body)``, at most ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, tag: str = "") -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.max_entry = self.max_bytes // 8
        self.tag = tag  # names the build: part of every ETag given for it
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: "OrderedDict[tuple, tuple]" = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Optional[tuple]:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple, ctype: str, body: bytes) -> None:
        size = len(body)
        if size > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= len(old[1])
            self._entries[key] = (ctype, body)
            self.bytes += size
            while self.bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.bytes -= len(dropped)

    def etag(self, key: tuple) -> str:
        """A strong validator of the answer to ``key`` on this build (RFC 9110 entity tag)."""
        h = hashlib.sha256(self.tag.encode("utf-8"))
        h.update(repr(key).encode("utf-8", "backslashreplace"))
        return '"' + h.hexdigest()[:32] + '"'

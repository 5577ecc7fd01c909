"""Shared helpers for the benchmarks: a synthetic news-like corpus, timing, RSS.

The synthetic corpus is generated at run time by recombining sentences of the
real dev/seed texts in ``../shared/corpus`` (nothing from the corpus is kept in
the repository). Document ``i`` depends only on (seed, i), so the first 1,000
documents of a 10,000-document corpus are the same as a 1,000-document one.
"""
from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("KG_CORPUS", ROOT.parent / "shared" / "corpus"))
SENTENCE_SOURCES = ("dev", "seeds")

_SPLIT = re.compile(r"(?<=[.!?\u201d\"'\u2019])\s+(?=[A-Z\u201c\"\u2018])")


def corpus_sentences(corpus: Path = CORPUS) -> list:
    """Sentences of the dev and seed texts (metadata lines removed, wraps joined)."""
    from kg.extract.text_utils import repair_hard_wraps
    from kg.sources.text import read_text_file, split_metadata

    sentences = []
    for folder in SENTENCE_SOURCES:
        for path in sorted((corpus / folder).glob("*.txt")):
            _, body, _ = split_metadata(read_text_file(path))
            body = repair_hard_wraps(body)
            for para in re.split(r"\n\s*\n", body):
                para = " ".join(para.split())
                for s in _SPLIT.split(para):
                    if 4 <= len(s.split()) <= 80:
                        sentences.append(s)
    if not sentences:
        raise SystemExit(f"no sentences found under {corpus}/{{dev,seeds}}: set KG_CORPUS")
    return sentences


def synth_document(sentences: list, i: int, seed: int = 7) -> str:
    """One news-like document: dateline, title, 4-8 paragraphs of 1-4 sentences."""
    rnd = random.Random(seed * 1_000_003 + i)
    published = date(2009, 1, 1) + timedelta(days=rnd.randrange(16 * 365))
    paras = []
    for _ in range(rnd.randint(4, 8)):
        paras.append(" ".join(rnd.choice(sentences) for _ in range(rnd.randint(1, 4))))
    title = " ".join(paras[0].split()[:12]).rstrip(".,;:")
    return f"date {published.isoformat()}\ntitle: {title}\n\n" + "\n\n".join(paras) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 7, sentences: list | None = None) -> int:
    """Write N synthetic documents as folder/synth-NNNNN.txt; return the word count of their bodies."""
    sentences = sentences or corpus_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(n):
        text = synth_document(sentences, i, seed)
        (folder / f"synth-{i:05d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split("\n\n", 1)[1].split())
    return words


def loaded_texts(folder: Path) -> list:
    """The Documents a build would feed to spaCy (loaded, metadata split, wraps repaired)."""
    from kg.extract.text_utils import repair_hard_wraps
    from kg.sources import iter_documents

    docs = [d for d in iter_documents([folder]) if not isinstance(d, Exception)]
    for d in docs:
        d.text = repair_hard_wraps(d.text)
    return docs


def words_of(docs) -> int:
    return sum(len(d.text.split()) for d in docs)


class Timer:
    """Wall and CPU (this process + waited-for children) seconds of a block."""

    def __enter__(self):
        self.w0 = time.perf_counter()
        self.c0 = _cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w0
        self.cpu = _cpu() - self.c0


def _cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def peak_rss_mb(children: bool = False) -> float:
    """ru_maxrss (KiB on Linux) in MiB; RUSAGE_CHILDREN is the largest waited-for child."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def run_child(script: Path, args: list, timeout: float | None = None) -> dict:
    """Run ``python SCRIPT --child ARGS`` in a fresh interpreter; its last stdout line is JSON."""
    cmd = [sys.executable, str(script), "--child", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child failed ({proc.returncode}): {' '.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"

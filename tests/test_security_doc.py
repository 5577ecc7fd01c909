"""SECURITY.md names a test for each promise: every test it names exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named, current = [], None  # "::name" is a test in the file named last
    for row in re.findall(r"^\|.*\|$", text, re.M):
        for ref in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?[^`]*`", row):
            path, name = ref
            current = path or current
            if name:
                assert current, row
                named.append((current, name))
            elif path:
                assert (ROOT / path).is_file(), path
    assert len(named) > 25
    for path, name in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name}"

"""The output folder: replaced in one step, written by one build at a time, readable by others.

``OUT`` is a symbolic link to a versioned folder beside it (``.OUT.v-…``). A build writes a new
folder, then points a new link at it and renames the link over ``OUT``: one rename, so at every
moment ``OUT`` is the whole old build or the whole new one, whatever is killed when. The old
version is removed after. An ``OUT`` that is still a real folder (from an older kg) is swapped
for the link with one atomic exchange where the system has one (Linux ``renameat2``).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from .errors import BuildLockedError

LOCK_WAIT_S = 3600.0  # how long a second build waits for the first before giving up
# what builds, imports and swaps leave beside OUT while they run
_SCRATCH = (".building-", ".importing-", ".old-", ".link-", ".v-")


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, wait: Optional[float] = None):
    """Hold the output folder's lock: a second build into the same folder waits (saying so on
    stderr) up to ``wait`` seconds, then fails with BuildLockedError. The kernel releases the
    lock when its holder dies, so a killed build never leaves it held."""
    wait = LOCK_WAIT_S if wait is None else wait
    path = _lock_path(out)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise BuildLockedError(f"{out}: another build ({_holder(fd)}) is writing here; "
                                       f"gave up after {wait:g} s")
            if not told:
                print(f"kg: waiting for another build ({_holder(fd)}) to finish writing {out}", file=sys.stderr)
                told = True
            time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


def cleanup_leftovers(out: Path) -> list:
    """Remove what killed builds left beside OUT (their part-written folders, links, old
    versions), keeping the version OUT points at. Call with the lock held. Returns the names."""
    current = _target(out)
    removed = []
    for p in out.parent.glob(f".{out.name}.*"):
        rest = p.name[len(out.name) + 1:]
        if not any(rest.startswith(s) for s in _SCRATCH) or p.name == current or in_use(p):
            continue
        if p.is_symlink() or not p.is_dir():
            p.unlink(missing_ok=True)
        else:
            shutil.rmtree(p, ignore_errors=True)
        removed.append(p.name)
    return removed


def leftovers(out: Path) -> list:
    """Names beside OUT that are neither its lock nor the versioned folder it links to:
    after a finished build, none."""
    keep = {_lock_path(out).name, _target(out)}
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if p.name not in keep)


def remove_output(out: Path) -> None:
    """Remove a build folder whole: the link, the versioned folder it shows and what lies beside
    it (``shutil.rmtree`` refuses a symbolic link)."""
    out = Path(out)
    target = _target(out)
    if out.is_symlink():
        out.unlink()
    elif out.is_dir():
        shutil.rmtree(out, ignore_errors=True)
    for p in [out.parent / target] if target else []:
        shutil.rmtree(p, ignore_errors=True)
    for p in out.parent.glob(f".{out.name}.*"):
        rest = p.name[len(out.name) + 1:]
        if any(rest.startswith(s) for s in _SCRATCH) or rest == ".lock":
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def _target(out: Path) -> Optional[str]:
    """The name of the versioned folder OUT links to, when it is one of ours beside it."""
    if not out.is_symlink():
        return None
    target = os.readlink(out)
    if "/" in target or not target.startswith(f".{out.name}.v-"):
        return None
    return target


def readable_by_all(folder: Path) -> None:
    """Folders 0755 and files 0644 under the usual umask (temporary folders start 0700), so a
    service account (a triple store, a web server) can read the build."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o777 & ~mask)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                os.chmod(p, 0o666 & ~mask)


def _reached(step: str) -> None:
    """Each step of the swap passes here (the kill tests stop the process at each)."""


def swap_into_place(tmp: Path, out: Path) -> None:
    """Make the finished build in ``tmp`` the one OUT shows, in one rename; remove the old one."""
    old_version = _target(out)
    version = out.parent / f".{out.name}.v-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{tmp.name[-8:]}"
    os.rename(tmp, version)
    _reached("renamed")
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(version.name, link)
    _reached("linked")
    if out.is_dir() and not out.is_symlink():  # a real folder from an older kg
        if _exchange(link, out):
            _reached("exchanged")
            if not in_use(link):  # the old folder now has the link's name; one still read goes next time
                shutil.rmtree(link, ignore_errors=True)
            return
        aside = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, aside)  # no atomic exchange here: a moment with no OUT, once
        os.rename(link, out)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(link, out)
    _reached("replaced")
    if old_version and old_version != version.name and not in_use(out.parent / old_version):
        shutil.rmtree(out.parent / old_version, ignore_errors=True)  # one a server still reads goes next time


def hold(version: Path) -> int:
    """Mark a build folder as read (``kg serve``): builds leave it in place until released
    (close the returned descriptor). A shared lock on the folder itself: nothing is written."""
    fd = os.open(version, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def in_use(folder: Path) -> bool:
    """Whether a server holds ``folder`` (see :func:`hold`)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0

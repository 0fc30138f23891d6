"""An exclusive, re-entrant advisory lock on a sidecar file, shared by processes and threads.

``fcntl.flock`` on a file beside the guarded one. The kernel drops the lock when its holder
exits, however it exits, so a killed process never leaves the lock held. The lock file is
removed on release, so that a directory does not keep one beside every store; this is safe
because whoever takes the lock then checks that the file it locked is still the one at the
path (a waiter that locked a file unlinked meanwhile starts again on the new one).

Within one process the lock is re-entrant per thread (a ``threading.RLock``), so nested
writers on one store object do not deadlock; another thread waits as another process does.
Separate objects on one path, even in one process, exclude each other (flock locks belong to
open files, not processes).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

__all__ = ["FileLock", "LockTimeout"]

# Waiting polls a non-blocking flock (flock itself has no timeout): short sleeps first, so an
# uncontended handover is quick, growing to this ceiling so a long wait costs little.
_MAX_POLL = 0.1


class LockTimeout(TimeoutError):
    """The lock stayed held by someone else for longer than the timeout."""


class FileLock:
    """``acquire``/``release`` an exclusive lock on ``path`` (created 0600 while held)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting up to ``timeout`` seconds; say whether this is the outermost
        hold (the caller's first, not a re-entry). Raises :class:`LockTimeout`."""
        deadline = time.monotonic() + max(timeout, 0.0)
        if not self._thread_lock.acquire(timeout=max(timeout, 0.0)):
            raise LockTimeout(timeout)
        try:
            if self._depth == 0:
                self._fd = self._lock_file(deadline, timeout)
            self._depth += 1
            return self._depth == 1
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        """Undo one :meth:`acquire`; the last one unlocks (and removes) the file."""
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                # Unlinked while still locked: a waiter on this file will see it is gone.
                self.path.unlink(missing_ok=True)
            finally:
                os.close(fd)  # closing the last descriptor drops the flock
        self._thread_lock.release()

    def _lock_file(self, deadline: float, timeout: float) -> int:
        pause = 0.005
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise LockTimeout(timeout) from None
                        time.sleep(min(pause, left))
                        pause = min(pause * 2, _MAX_POLL)
                if self._still_at_path(fd):
                    return fd
            except BaseException:
                os.close(fd)
                raise
            # The holder removed the file we were waiting on: lock the current one instead.
            os.close(fd)

    def _still_at_path(self, fd: int) -> bool:
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)

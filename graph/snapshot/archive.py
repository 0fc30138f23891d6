"""Unpacking zip and tar snapshots without letting a member escape the target directory."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

from .manifest import SnapshotError, safe_member


def is_archive(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name.endswith((".zip", ".tar", ".tar.gz", ".tgz"))


def extract(archive: Path, target: Path) -> None:
    """Unpack ``archive`` into ``target``; absolute, ``..`` and link members are refused.

    Every member is checked before anything is written, so a refused archive leaves nothing.
    """
    where = str(archive)
    try:
        if archive.name.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                members = zf.infolist()
                for info in members:
                    safe_member(target, info.filename, where=where)
                    if (info.external_attr >> 16) & 0o170000 == 0o120000:
                        raise SnapshotError(f"{where}: member {info.filename!r} is a link; refused")
                for info in members:
                    dest = safe_member(target, info.filename, where=where)
                    if info.is_dir():
                        dest.mkdir(parents=True, exist_ok=True)
                        continue
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, dest.open("wb") as out:
                        shutil.copyfileobj(src, out)
            return
        with tarfile.open(archive) as tf:
            entries = tf.getmembers()
            for entry in entries:
                safe_member(target, entry.name, where=where)
                if not (entry.isfile() or entry.isdir()):
                    raise SnapshotError(f"{where}: member {entry.name!r} is not a plain file")
            for entry in entries:
                dest = safe_member(target, entry.name, where=where)
                if entry.isdir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                member = tf.extractfile(entry)
                if member is None:
                    raise SnapshotError(f"{where}: cannot read member {entry.name!r}")
                with member, dest.open("wb") as out:
                    shutil.copyfileobj(member, out)
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as exc:
        raise SnapshotError(f"{where}: cannot unpack the archive ({exc})") from None


def make_zip(directory: Path, archive: Path) -> Path:
    """Pack every file under ``directory`` into ``archive`` (paths relative to it)."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(directory).as_posix())
    return archive

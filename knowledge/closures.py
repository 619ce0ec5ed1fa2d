"""Temporary closures and exceptional hours: what `python -m knowledge closure
add | list | remove` does to fermetures.yml.

The file is machine-managed: it is rewritten whole. A change is first written
into a temporary copy of the data directory and validated there with
knowledge.loader.load (known hub, period, hours, no overlap with another closure
of the same hub); only then does it replace fermetures.yml (os.replace), under a
lock so that two staff members adding at once lose nothing. A refused change
leaves the file exactly as it was. A running bot serves the change within 5 s.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

import yaml

from . import loader
from .models import Closure

FILE = "fermetures.yml"
HEADER = """\
# Temporary closures and exceptional hours of the hubs. Managed with
#   python -m knowledge closure add TARGET --from DATE --to DATE --reason "…" [--hours 08:30-12:00]
#   python -m knowledge closure list | remove ID
# (see knowledge/README.md). Each entry: the hub (structure_id), the period
# (du, au: included), the reason as staff wrote it (motif), the exceptional
# hours if the hub opens on shorter hours instead of closing (horaires), and who
# added it and when (ajoute_par, ajoute_le).
"""
_ID = re.compile(r"^fermeture-(\d+)$")


class ClosureError(Exception):
    """The change is refused; `errors` lists why (nothing was written)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _entries(data_dir: Path) -> list[dict]:
    path = data_dir / FILE
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(doc.get("fermetures") or [])


@contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    with open(data_dir / f".{FILE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(data_dir: Path, sources_dir: Path, entries: list[dict]) -> None:
    """Validate the whole data with these entries, then swap the file in."""
    text = HEADER + yaml.safe_dump({"fermetures": entries}, allow_unicode=True, sort_keys=False, width=100)
    check = Path(tempfile.mkdtemp(prefix=".closure-check-"))
    try:
        for name in loader.DATA_FILES:
            if (data_dir / name).exists() and name != FILE:
                shutil.copy2(data_dir / name, check / name)
        (check / FILE).write_text(text, encoding="utf-8")
        try:
            loader.load(check, sources_dir)
        except loader.KnowledgeDataError as exc:
            shown = loader.display_path(data_dir / FILE)
            raise ClosureError([e.replace(loader.display_path(check / FILE), shown) for e in exc.errors]) from None
    finally:
        shutil.rmtree(check, ignore_errors=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{FILE}.", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, data_dir / FILE)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def add(data_dir: Path, sources_dir: Path, hub_id: str, start: date, end: date, reason: str,
        hours: Optional[str], added_by: str, today: date, now: Optional[datetime] = None) -> Closure:
    """Add a closure (hours None) or exceptional hours of `hub_id` from `start`
    to `end` included; returns it. Raises ClosureError, writing nothing."""
    errors = []
    reason = " ".join((reason or "").split())
    if not reason:
        errors.append("--reason: missing (residents are told why, e.g. \"travaux\")")
    if end < start:
        errors.append(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    elif end < today:
        errors.append(f"--to {end.isoformat()} is in the past: that closure is already over")
    if hours is not None and not loader.closure_hours_valid(hours):
        errors.append(f"--hours {hours!r}: expected HH:MM-HH:MM or HH:MM-HH:MM,HH:MM-HH:MM, "
                      f"each range starting before it ends")
    if not (added_by or "").strip():
        errors.append("--by: missing (who adds the closure)")
    if errors:
        raise ClosureError(errors)
    with _locked(data_dir):
        entries = _entries(data_dir)
        numbers = [int(m.group(1)) for e in entries if (m := _ID.match(str(e.get("id", ""))))]
        entry = {"id": f"fermeture-{max(numbers, default=0) + 1}", "structure_id": hub_id,
                 "du": start, "au": end, "motif": reason}
        if hours is not None:
            entry["horaires"] = hours
        entry["ajoute_par"] = added_by.strip()
        entry["ajoute_le"] = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        _write(data_dir, sources_dir, entries + [entry])
    return Closure(id=entry["id"], hub_id=hub_id, start=start, end=end, reason=reason, hours=hours,
                   added_by=entry["ajoute_par"], added_at=entry["ajoute_le"])


def remove(data_dir: Path, sources_dir: Path, closure_id: str) -> dict:
    """Remove a closure by id; returns its entry. Raises ClosureError if unknown."""
    with _locked(data_dir):
        entries = _entries(data_dir)
        kept = [e for e in entries if str(e.get("id")) != closure_id]
        if len(kept) == len(entries):
            known = ", ".join(str(e.get("id")) for e in entries) or "none"
            raise ClosureError([f"no closure {closure_id!r} in {loader.display_path(data_dir / FILE)} "
                                f"(known: {known})"])
        _write(data_dir, sources_dir, kept)
    return next(e for e in entries if str(e.get("id")) == closure_id)

"""What every open-data import shares (annuaire.py, data_inclusion.py).

A converter turns the records of a national file into structures.yml entries
(`Imported`); this module then:
  * merges them into the current hubs (`merge`): an entry describes an
    existing hub when it was imported before from the same record, or when
    commune INSEE + normalised street match; that hub's missing facts are
    filled, a differing fact is a conflict (refused unless `replace`), a
    commune claimed by two hubs is always refused naming both, new hub ids
    must be unique;
  * writes structures.yml (`write_structures`): the hand-written file kept and
    the new hubs appended, or the whole file rewritten when existing hubs
    changed;
  * builds the complete knowledge directory in a temporary directory next to
    DIR, validates it with knowledge.loader.load and swaps it in
    (`write_directory`): all or nothing.

Every refusal is an `ImportRefused` (each importer raises its own subclass)
listing every problem; nothing is written then.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from . import loader, text

# Scalar facts compared when an import describes an existing hub (the
# description is the importer's own wording: never compared).
MERGED_FACTS = ("nom", "adresse", "code_postal", "commune", "code_insee", "complement_adresse",
                "telephone", "courriel", "site_web", "accessibilite", "horaires_accueil",
                "url_service_public", "latitude", "longitude", "reseaux_porteurs")
_EMPTY = (None, "", [])


class ImportRefused(Exception):
    """The import is refused; `errors` lists every problem (nothing was written)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class Summary:
    kept: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # messages about existing hubs
    conflicts: list[str] = field(default_factory=list)
    hubs: list[str] = field(default_factory=list)  # ids written
    notes: list[str] = field(default_factory=list)  # about the input files

    def keep(self, kind: str) -> None:
        self.kept[kind] = self.kept.get(kind, 0) + 1

    def skip(self, kind: str, reason: str) -> None:
        reasons = self.skipped.setdefault(kind, {})
        reasons[reason] = reasons.get(reason, 0) + 1

    def lines(self) -> list[str]:
        out = []
        for kind in sorted(set(self.kept) | set(self.skipped)):
            skipped = self.skipped.get(kind, {})
            why = "; ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
            out.append(f"{kind}: {self.kept.get(kind, 0)} kept, {sum(skipped.values())} skipped"
                       + (f" ({why})" if why else ""))
        return out


@dataclass
class Imported:
    record_id: str
    kind: str  # what the summary counts it under (pivot type, producer)
    entry: dict  # a structures.yml entry, with its provenance
    served: list[str]  # INSEE codes of the communes it serves


@dataclass(frozen=True)
class Dataset:
    """How an importer names itself in provenance, messages and the written file."""
    name: str  # provenance `jeu_de_donnees`
    licence: str
    label: str  # in conflict messages: "(annuaire)", "take the annuaire's value"
    title: str  # in the comment above the appended hubs: "DILA annuaire"
    command: str  # "import annuaire", in the comments of structures.yml
    error: type  # the ImportRefused subclass this importer raises


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.fold(value)).strip("-")


def hub_id(name: str, record_id: str) -> str:
    """A readable, stable hub id: the name's slug and the end of the record id."""
    return f"{slug(name)[:60].strip('-')}-{slug(record_id)[-12:].strip('-')}"


def address_key(insee: str, street: str) -> tuple[str, str]:
    """Commune INSEE + normalised street: how two descriptions of one hub match."""
    folded = text.fold(street)
    for short, full in (("av", "avenue"), ("bd", "boulevard"), ("pl", "place"), ("r", "rue"), ("st", "saint"),
                        ("ste", "sainte"), ("che", "chemin"), ("imp", "impasse"), ("all", "allee")):
        folded = re.sub(rf"\b{short}\b\.?", full, folded)
    return insee, re.sub(r"[^a-z0-9]+", " ", folded).strip()


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dataset_provenance(dataset: Dataset, record_id: str, modified: str, file_name: str, file_date: str,
                       imported_at: str, note: Optional[str] = None) -> dict:
    """A provenance entry of kind "dataset" (all seven keys the loader requires)."""
    entry = {"jeu_de_donnees": dataset.name, "licence": dataset.licence, "enregistrement": record_id,
             "date_modification": modified or "(absent)", "fichier_import": file_name,
             "date_fichier": file_date, "importe_le": imported_at}
    if note:
        entry["note"] = note
    return entry


def file_date(path: Path) -> str:
    """The imported file's date: its modification time (UTC), YYYY-MM-DD."""
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date().isoformat()


def import_time(now: Optional[datetime] = None) -> str:
    return (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")


# --- merge into the current hubs ----------------------------------------------------

def _record_ids(hub: dict) -> set[tuple[str, str]]:
    """(data set, record id) pairs the hub's name was imported from."""
    return {(p.get("jeu_de_donnees"), p.get("enregistrement"))
            for p in (hub.get("provenance") or {}).get("nom") or []
            if isinstance(p, dict) and p.get("enregistrement")}


def merge(imported: list[Imported], structures: dict, communes: dict[str, dict], dataset: Dataset,
          summary: Summary, errors: list[str], replace: bool = False) -> tuple[dict, bool]:
    """(new structures.yml doc, existing hubs changed). Appends to `errors` the
    conflicts and doubly claimed communes, then raises dataset.error if any."""
    # Communes claimed by two imported records.
    claimed: dict[str, str] = {}
    for imp in imported:
        for code in imp.served:
            if code in claimed and claimed[code] != imp.record_id:
                errors.append(f"commune {code} ({communes[code]['nom']}) is claimed by two hubs: "
                              f"record {claimed[code]} and record {imp.record_id}")
            claimed.setdefault(code, imp.record_id)

    existing = structures.get("structures") or []
    by_address = {address_key(h["code_insee"], h["adresse"]): h for h in existing}
    by_record = {key: h for h in existing for key in _record_ids(h)}
    served_by = {c["code_insee"]: h for h in existing for c in h["extensions"]["communes_desservies"]}
    changed, new_entries = False, []
    for imp in imported:
        e = imp.entry
        # The same hub: imported earlier from the same record, or same commune + address.
        same_record = by_record.get((dataset.name, imp.record_id))
        same = same_record or by_address.get(address_key(e["code_insee"], e["adresse"]))
        if same is None:
            for code in imp.served:
                other = served_by.get(code)
                if other is not None:
                    errors.append(f"commune {code} ({communes[code]['nom']}) is claimed by two hubs: "
                                  f"existing {other['id']!r} and record {imp.record_id} ({e['nom']!r})")
            new_entries.append(e)
            continue
        # The import describes an existing hub: fill what it lacks, report conflicts.
        who = f"record {imp.record_id} ({e['nom']!r}) and existing hub {same['id']!r}"
        how = ("same record" if same_record is same
               else f"same commune {e['code_insee']} + address {e['adresse']!r}")
        summary.merged.append(f"{who}: same hub ({how})")
        for fact in MERGED_FACTS:
            new, old = e.get(fact), same.get(fact)
            if new in _EMPTY or new == old:
                continue
            if fact == "adresse" and address_key("", new) == address_key("", old or ""):
                continue  # same street, spelt differently: the kept spelling stays
            if old in _EMPTY:
                same[fact] = new
                same.setdefault("provenance", {})[fact] = e["provenance"][fact]
                changed = True
            else:
                conflict = (f"conflict on `{fact}` between {who}: {old!r} (kept data) vs {new!r} "
                            f"({dataset.label})")
                summary.conflicts.append(conflict)
                if replace:
                    same[fact] = new
                    same["provenance"][fact] = e["provenance"][fact]
                    changed = True
        ext, new_ext = same["extensions"], e["extensions"]
        already = {c["code_insee"] for c in ext["communes_desservies"]}
        for item in new_ext["communes_desservies"]:
            other = served_by.get(item["code_insee"])
            if other is not None and other is not same:
                errors.append(f"commune {item['code_insee']} ({communes[item['code_insee']]['nom']}) is claimed "
                              f"by two hubs: existing {other['id']!r} and record {imp.record_id} "
                              f"(merged into {same['id']!r})")
            elif item["code_insee"] not in already:
                ext["communes_desservies"].append(item)
                changed = True
        # A service the record offers is one more sourced item; publics only
        # fill a hub that has none (two sources' publics are not added up).
        offered = {s["id"] for s in ext.get("services") or []}
        for item in new_ext.get("services") or []:
            if item["id"] not in offered:
                ext.setdefault("services", []).append(item)
                changed = True
        if new_ext.get("publics") and not ext.get("publics"):
            ext["publics"] = new_ext["publics"]
            changed = True
    if summary.conflicts and not replace:
        errors.extend(f"{c} — refused (use --replace to take the {dataset.label}'s value)"
                      for c in summary.conflicts)
    if errors:
        raise dataset.error(errors)
    ids = {h["id"] for h in existing}
    for e in new_entries:
        if e["id"] in ids:
            raise dataset.error([f"hub id {e['id']!r} already exists"])
        ids.add(e["id"])
    summary.hubs = [e["id"] for e in new_entries]
    return {**structures, "structures": existing + new_entries}, changed


# --- writing -----------------------------------------------------------------------

class _PlainDumper(yaml.SafeDumper):
    """No &id001 anchors: each imported fact shows its provenance in full."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)


def write_structures(target: Path, original: str, doc: dict, new_ids: list[str], changed: bool,
                     dataset: Dataset) -> None:
    """Keep the hand-written file (comments, anchors) and append the new hubs,
    unless existing hubs changed: then the whole file is rewritten."""
    new = [h for h in doc["structures"] if h["id"] in new_ids]
    command = f"`python -m knowledge {dataset.command}`"
    if changed:
        target.write_text(f"# Rewritten by {command} (existing hubs updated).\n" + dump_yaml(doc),
                          encoding="utf-8")
        return
    if not new:
        target.write_text(original, encoding="utf-8")
        return
    block = f"\n# --- imported by {command} ({dataset.title}) ---\n"
    block += "".join("  " + line if line.strip() else line for line in dump_yaml(new).splitlines(True))
    appended = original.rstrip("\n") + "\n" + block
    try:  # appending works when `structures:` is the file's last key, indented by 2
        same = yaml.safe_load(appended) == yaml.safe_load(dump_yaml(doc))
    except yaml.YAMLError:
        same = False
    if not same:
        appended = f"# Rewritten by {command}.\n" + dump_yaml(doc)
    target.write_text(appended, encoding="utf-8")


def write_directory(out: Path, data_dir: Path, sources_dir: Path | str,
                    write: Callable[[Path], None], dataset: Dataset) -> None:
    """OUT becomes a complete knowledge directory: the other data files of
    data_dir copied verbatim, structures.yml written by `write(path)`; built in
    a temporary directory next to OUT, validated by the loader, then swapped
    in. On any error OUT is left exactly as it was."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        for name in loader.DATA_FILES:
            # an optional file (fermetures.yml) may be absent from an older directory
            if name != "structures.yml" and (data_dir / name).exists():
                shutil.copy2(data_dir / name, tmp / name)
        write(tmp / "structures.yml")
        try:
            loader.load(tmp, sources_dir)
        except loader.KnowledgeDataError as exc:
            raise dataset.error(["the imported data does not validate:"] + exc.errors) from None
        aside = None
        if out.exists():
            aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            aside.rmdir()
            os.replace(out, aside)
        try:
            os.replace(tmp, out)
        except OSError:
            if aside is not None:
                os.replace(aside, out)
            raise
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def run(doc: dict, summary: Summary, changed: bool, out: Path | str, data_dir: Path,
        sources_dir: Path | str, dataset: Dataset) -> Summary:
    """Write the merged structures doc into OUT (all or nothing)."""
    original = (data_dir / "structures.yml").read_text(encoding="utf-8")
    write_directory(Path(out), data_dir, sources_dir,
                    lambda target: write_structures(target, original, doc, summary.hubs, changed, dataset),
                    dataset)
    return summary

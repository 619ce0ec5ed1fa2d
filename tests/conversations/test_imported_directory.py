"""A département imports the national directory into the KNOWLEDGE_DIR of a
running bot: the new hubs are served within seconds, with no retraining and no
restart; so are closures staff add. Fictitious fixture (tests/knowledge/fixtures/), never
knowledge/data."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from knowledge.loader import DEFAULT_DATA_DIR
from bot.settings import ROOT
from tests.conversations.conftest import WEDNESDAY_MORNING, Conversation, model_path
from tests.support.servers import BotServers

FIXTURE = ROOT / "tests" / "knowledge" / "fixtures" / "annuaire_bulk.json"
DATA_INCLUSION = [ROOT / "tests" / "knowledge" / "fixtures" / f"data_inclusion_{kind}.json"
                  for kind in ("structures", "services")]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    data = tmp_path_factory.mktemp("departement") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    return data


@pytest.fixture(scope="module")
def servers(tmp_path_factory, directory):
    work = tmp_path_factory.mktemp("servers")
    with BotServers(work, extra_env={"BOT_NOW": WEDNESDAY_MORNING, "KNOWLEDGE_DIR": str(directory)},
                    model=model_path()) as running:
        yield running


def import_fixture(directory) -> None:
    """What the web team runs: the import into the bot's own KNOWLEDGE_DIR."""
    env = dict(os.environ, KNOWLEDGE_DIR=str(directory), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "knowledge", "import", "annuaire", str(FIXTURE),
                           "--pivot", "edas", "--out", str(directory)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def import_data_inclusion(directory) -> None:
    """The same, from data·inclusion's structures and services."""
    env = dict(os.environ, KNOWLEDGE_DIR=str(directory), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "knowledge", "import", "data-inclusion",
                           *map(str, DATA_INCLUSION), "--out", str(directory)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def ask_until(resident: Conversation, text: str, expected: str, seconds: float = 20.0) -> str:
    """The reply once it contains `expected` (the data is re-read within 5 s)."""
    deadline = time.monotonic() + seconds
    while True:
        reply = resident.say(text)
        if expected in reply or time.monotonic() > deadline:
            return reply
        time.sleep(0.5)


def test_an_imported_hub_is_served_at_once_with_its_lunch_break(servers, directory):
    resident = Conversation(servers)
    before = resident.say("Où est le pôle pour Nanterre ?")
    assert "je n'ai pas encore l'information pour votre commune" in before

    import_fixture(directory)

    resident = Conversation(servers)
    reply = ask_until(resident, "Où est le pôle pour Nanterre ?", "rue de l'Exemple")
    assert "12 rue de l'Exemple" in reply
    lunch = resident.say("c'est ouvert à 12h45 ?")
    assert "fermé" in lunch and "13 h 30" in lunch


def test_an_imported_phone_number_is_given_with_its_source(servers, directory):
    import_fixture(directory)  # again: the same records update the same hubs
    resident = Conversation(servers)
    reply = ask_until(resident, "quel est le numéro de téléphone du pôle pour Nanterre ?", "01 ")
    assert "01 00 00 00" in reply
    assert "Annuaire" in reply and "fiche du 15 janvier 2026" in reply


def test_a_closure_added_by_staff_reaches_residents_at_once(servers, directory):
    """Staff close the Issy hub for works this week: residents asking are told
    so, with the reason, without a restart."""
    env = dict(os.environ, KNOWLEDGE_DIR=str(directory), PYTHONPATH=str(ROOT), BOT_NOW=WEDNESDAY_MORNING)
    done = subprocess.run([sys.executable, "-m", "knowledge", "closure", "add", "Clamart", "--from", "2026-11-16",
                           "--to", "2026-11-20", "--reason", "travaux", "--by", "test"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    resident = Conversation(servers)
    reply = ask_until(resident, "le pôle de Clamart est ouvert en ce moment ?", "exceptionnellement")
    assert "exceptionnellement fermé du lundi 16 au vendredi 20 novembre 2026 (travaux)" in reply
    assert "lundi 23 novembre à 8 h 30" in reply


def test_a_data_inclusion_hub_is_served_with_its_lunch_break_and_phone(servers, directory):
    import_data_inclusion(directory)
    resident = Conversation(servers)
    reply = ask_until(resident, "Où est le pôle pour Rueil-Malmaison ?", "8 rue de l'Exemple")
    assert "8 rue de l'Exemple" in reply
    lunch = resident.say("c'est ouvert à 12h45 ?")
    assert "fermé" in lunch and "13 h 30" in lunch
    resident = Conversation(servers)
    phone = ask_until(resident, "quel est le numéro de téléphone du pôle pour Rueil-Malmaison ?", "01 ")
    assert "01 00 00 00 11" in phone
    assert "data·inclusion" in phone and "fiche du 3 février 2026" in phone

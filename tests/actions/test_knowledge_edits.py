"""The actions read the knowledge base at every turn: an edited data file
changes the answers without restarting or retraining."""
import shutil

from actions.action_answer_hub import ActionAnswerHub
from knowledge import get_knowledge
from knowledge.loader import DEFAULT_DATA_DIR
from tests.actions.conftest import insee, activation, run, texts


def test_edited_hours_reach_the_answer(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(data))
    tracker = activation("et les horaires ?", "ask_hours", slots={"commune": insee("Gennevilliers")})

    before = texts(run(ActionAnswerHub(), tracker)[0])
    assert "de 8 h 30 à 17 h 30" in before

    structures = data / "structures.yml"
    edited = structures.read_text().replace('horaires_accueil: "Mo-Fr 08:30-17:30; PH off"',
                                            'horaires_accueil: "Mo-Fr 09:00-17:00; PH off"')
    assert edited != structures.read_text()
    structures.write_text(edited)
    assert get_knowledge().reload()

    after = texts(run(ActionAnswerHub(), tracker)[0])
    assert "de 9 h à 17 h" in after and "8 h 30" not in after

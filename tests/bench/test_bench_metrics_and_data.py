from bench import metrics, nludata
from bench.baseline import train_and_predict
from bench.conversations import build, typo


def test_parse_annotated_strips_entities_and_keeps_offsets():
    text, ents = nludata.parse_annotated(
        "je vis à [Issy](commune) et [92130]{\"entity\": \"postal_code\"}")
    assert text == "je vis à Issy et 92130"
    assert [(text[e["start"]:e["end"]], e["entity"]) for e in ents] == [
        ("Issy", "commune"), ("92130", "postal_code")]
    _, ents = nludata.parse_annotated("[BLR](commune:Bourg-la-Reine)")
    assert ents[0]["value"] == "Bourg-la-Reine"


def test_load_reads_intents_and_skips_lookups(tmp_path):
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - bonjour\n    - salut\n'
        "- lookup: commune\n  examples: |\n    - Clamart\n", encoding="utf-8")
    examples = nludata.load(tmp_path)
    assert [(e.text, e.intent) for e in examples] == [("bonjour", "greet"), ("salut", "greet")]


def test_intent_metrics_and_safety_first_confusions():
    gold = ["greet", "greet", "danger_child", "thank"]
    pred = ["greet", "thank", "inform", "thank"]
    m = metrics.intent_metrics(gold, pred)
    assert m["accuracy"] == 0.5
    assert m["per_intent"]["greet"]["recall"] == 0.5
    pairs = metrics.confusion_pairs(gold, pred, ["a", "b", "c", "d"])
    assert pairs[0]["gold"] == "danger_child" and pairs[0]["safety"]
    assert pairs[1] == {"gold": "greet", "pred": "thank", "count": 1, "safety": False,
                        "examples": ["b"]}


def test_entity_span_metrics_needs_exact_spans():
    gold = [[{"start": 0, "end": 4, "entity": "commune"}], []]
    pred = [[{"start": 0, "end": 3, "entity": "commune"}],
            [{"start": 1, "end": 2, "entity": "commune"}]]
    m = metrics.entity_span_metrics(gold, pred)
    assert m["commune"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics.entity_span_metrics(gold, gold)["commune"]["f1"] == 1.0


def test_tfidf_baseline_learns_a_tiny_dataset():
    texts = ["bonjour", "salut", "bonsoir", "merci", "merci beaucoup", "je vous remercie",
             "quel pôle pour Clamart", "où aller à Meudon", "mon pôle social"]
    labels = ["greet"] * 3 + ["thank"] * 3 + ["find_hub"] * 3
    out = train_and_predict(texts, labels, ["bonjour à vous", "merci bien", "pôle de Vanves"])
    assert out["predictions"] == ["greet", "thank", "find_hub"]
    assert all(0 < c <= 1 for c in out["confidences"])


def test_conversations_are_deterministic_and_filled():
    places = {"served": ["Clamart"], "uncovered": ["Antony"], "outside": ["Paris"]}
    a, b = build(20, seed=1, places=places), build(20, seed=1, places=places)
    assert a == b
    assert all("{c}" not in turn for conv in a for turn in conv)
    assert typo("Issy-les-Moulineaux", __import__("random").Random(0)).islower()


def test_component_times_from_a_rasa_train_log():
    from bench.proc import component_times
    log = "\n".join([
        "2026-11-21 17:15:19 INFO     rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.",
        "Epochs: 100%|...",
        "2026-11-21 17:16:12 INFO     rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.",
        "\x1b[0m2026-11-21 17:16:12 INFO     rasa.engine.training.hooks  - Starting to train component 'TEDPolicy'.",
        "2026-11-21 17:16:14 INFO     rasa.engine.training.hooks  - Finished training component 'TEDPolicy'.",
    ])
    assert component_times(log) == [{"component": "DIETClassifier", "seconds": 53.0},
                                    {"component": "TEDPolicy", "seconds": 2.0}]


def test_with_epochs_rewrites_every_epochs_value(tmp_path):
    from bench.proc import with_epochs
    src = tmp_path / "c.yml"
    src.write_text("pipeline:\n  - name: DIETClassifier\n    epochs: 100\n"
                   "policies:\n  - name: TEDPolicy\n    epochs: 50\n", encoding="utf-8")
    out = with_epochs(src, 5, tmp_path / "quick.yml").read_text(encoding="utf-8")
    assert out.count("epochs: 5\n") == 2 and "100" not in out

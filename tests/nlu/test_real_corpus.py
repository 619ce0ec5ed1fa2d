"""The real-world message corpus (tests/nlu/real/, see its README): its size, its
labels, and the separation of its learning and held-out parts."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.real_corpus import SETS, load
from knowledge import get_knowledge

NEEDS = {"pmi", "sante-sexuelle", "action-sociale-insertion", "aide-sociale-enfance",
         "numerique", "where", "hours", "helpline-info", "danger", "out-of-scope"}
HELPLINES = {"119", "3114", "3919", "17", "115", "15", "114"}


@pytest.fixture(scope="module")
def parts():
    return {name: load(path) for name, path in SETS.items()}


def test_at_least_300_messages_modelled_on_real_pages(parts):
    items = parts["learn"] + parts["heldout"]
    assert len(items) >= 300
    assert all(i.url.startswith(("http://", "https://")) for i in items)
    # the held-out part is big enough to measure safety: dozens of danger messages
    assert sum(bool(i.helpline) for i in parts["heldout"]) >= 50
    assert sum(not i.helpline for i in parts["heldout"]) >= 50


def test_no_source_page_is_in_both_parts(parts):
    learn = {i.url for i in parts["learn"]}
    heldout = {i.url for i in parts["heldout"]}
    assert not learn & heldout, sorted(learn & heldout)[:5]


def test_each_file_lists_a_page_once():
    for path in SETS.values():
        urls = Counter(p["url"] for p in yaml.safe_load(path.read_text())["pages"])
        assert not [u for u, n in urls.items() if n > 1], path.name


def test_labels_are_known_values(parts):
    kb = get_knowledge()
    names = {c.name for c in kb.communes}
    for item in parts["learn"] + parts["heldout"]:
        assert item.need in NEEDS, item
        assert item.helpline is None or item.helpline in HELPLINES, item
        assert item.need != "helpline-info" or item.about, item
        assert not item.urgent or item.helpline, item
        if item.commune:
            # a commune of the 92 by its canonical name, or a place outside it
            assert item.commune in names or kb.resolve_commune(item.commune).status == "outside" \
                or item.commune in ("Paris", "Argenteuil", "Lyon", "Versailles"), item.commune


def test_no_held_out_message_is_a_near_copy_of_a_learning_one(parts):
    """Held-out items are never reworded into the learning part."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from knowledge.text import fold
    learn = [fold(i.text) for i in parts["learn"]]
    heldout = [fold(i.text) for i in parts["heldout"]]
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(learn + heldout)
    similarity = vectors.transform(heldout) @ vectors.transform(learn).T
    closest = similarity.max(axis=1).toarray().ravel()
    assert closest.max() < 0.5, f"a held-out message is {closest.max():.2f} similar to a learning one"

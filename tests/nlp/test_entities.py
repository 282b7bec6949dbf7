import json

import pytest
from support import GOLD, GUM_DIR, SEED_FILE

from bot.corpus import load_corpus
from bot.nlp.entities import analyse_entities

SEED_PEOPLE = {
    "Xi Jinping",
    "Vladimir Putin",
    "Therese Fallon",
    "Li Zhanshu",
    "Elizabeth Wishnick",
    "Niva Yau",
    "Kassym-Jomart Tokayev",
}


@pytest.fixture(scope="module")
def seed_entities(nlp):
    [article] = load_corpus(SEED_FILE.parent).articles
    return article, analyse_entities(nlp(article.text))


def test_seed_has_its_seven_people_under_full_names(seed_entities) -> None:
    _, ents = seed_entities
    people = set(ents.people())
    assert people >= SEED_PEOPLE
    assert ents.entities["Xi Jinping"].aliases >= {"Xi"}
    assert "Putin" in ents.entities["Vladimir Putin"].aliases


def test_glued_name_is_split_and_offsets_hold(seed_entities) -> None:
    article, ents = seed_entities
    putin = [m for m in ents.mentions if m.canonical == "Vladimir Putin"]
    assert any(m.text == "Vladimir Putin" for m in putin)
    for m in ents.mentions:
        assert article.text[m.start : m.end] == m.text


def test_mislabelled_people_are_repaired(seed_entities) -> None:
    _, ents = seed_entities
    assert ents.entities["Therese Fallon"].label == "PERSON"  # NER says ORG
    assert ents.entities["Li Zhanshu"].label == "PERSON"  # NER says GPE
    assert "Wishnick" not in ents.entities  # NER says ORG for the lone surname


def test_roles_from_appositives_and_titles(seed_entities) -> None:
    _, ents = seed_entities
    assert ents.entities["Therese Fallon"].role.startswith("director of the Center for Russia")
    assert ents.entities["Niva Yau"].role.startswith("senior researcher at the OSCE Academy")
    assert ents.entities["Kassym-Jomart Tokayev"].role == "Kazakhstan’s President"


def test_acronym_joins_its_organisation(seed_entities) -> None:
    _, ents = seed_entities
    assert "SCO" in ents.entities["Shanghai Cooperation Organization"].aliases
    assert ents.canonical_person("Professor Elizabeth Wishnick") == "Elizabeth Wishnick"
    assert ents.canonical_person("yau") == "Niva Yau"


@pytest.mark.parametrize("name", ["clock.txt", "iodine.txt", "warhol.txt", "korea.txt"])
def test_gum_linked_people_are_found(nlp, name: str) -> None:
    """Recall of linked gold persons (by identity) in a few GUM articles."""
    gold = next(
        json.loads(line)
        for line in GOLD.read_text().splitlines()
        if json.loads(line)["file"] == name
    )
    article = next(a for a in load_corpus(GUM_DIR).articles if a.source == name)
    ents = analyse_entities(nlp(article.text))
    people = {p.lower() for p in ents.people()}
    surnames = {p.split()[-1] for p in people}
    identities = {
        e["identity"].replace("_", " ")
        for e in gold["entities"]
        if e["type"] == "person" and e.get("identity")
    }
    found = [i for i in identities if i.lower() in people or i.lower().split()[-1] in surnames]
    assert len(found) / len(identities) >= 0.6, (sorted(identities), sorted(people))


def _naive_canonical(cands) -> list[str]:
    """The canonical-name rule written plainly, one full scan per mention (the shape
    `analyse_entities` had before it resolved each distinct mention once)."""
    from collections import Counter

    from bot.nlp.names import acronym, is_full_name, normalise_name, resolve_to_full, strip_titles

    full = [
        strip_titles(normalise_name(c.text))
        for c in cands
        if c.label == "PERSON" and is_full_name(strip_titles(normalise_name(c.text)))
    ]
    orgs = [normalise_name(c.text) for c in cands if c.label == "ORG"]
    out = []
    for c in cands:
        name = normalise_name(c.text)
        if c.label == "PERSON":
            name = strip_titles(name)
            if not is_full_name(name):
                name = resolve_to_full(name, full) or name
        elif c.label == "ORG" and name.isupper() and len(name) >= 2:
            expansions = [o for o in orgs if len(o.split()) > 1 and acronym(o) == name]
            if expansions:
                name = Counter(expansions).most_common(1)[0][0]
        out.append(name)
    return out


def test_text_read_once_and_names_resolved_once_give_the_plain_rules_output(nlp) -> None:
    """The seed article three times over (a long article repeats its mentions): every
    mention is the text at its offsets and carries the name the plain rule gives."""
    from bot.nlp.entities import _candidates, _retype_people, _split_glued

    [article] = load_corpus(SEED_FILE.parent).articles
    doc = nlp("\n\n".join([article.text] * 3))
    ents = analyse_entities(doc)
    cands = _candidates(doc, doc.text)
    words = {c.text for c in cands if len(c.text.split()) == 1}
    for c in cands:
        if c.label == "PERSON":
            _split_glued(doc.text, c, words)
    _retype_people(cands)
    assert [(m.text, m.start, m.end) for m in ents.mentions] == [
        (c.text, c.start, c.end) for c in cands
    ]
    assert all(doc.text[m.start : m.end] == m.text for m in ents.mentions)
    assert [m.canonical for m in ents.mentions] == _naive_canonical(cands)
    assert {"Xi Jinping", "Shanghai Cooperation Organization"} <= set(ents.entities)


@pytest.mark.parametrize(
    "name",
    [
        "England and Wales Cricket Board",
        "Hallam and District Health Unit",
        "Ministry of Energy and Mines",
    ],
)
def test_an_organisation_cut_at_its_and_is_joined(nlp, name: str) -> None:
    text = f"The {name} said in a statement on Monday that it had acted."
    orgs = [m.text for m in analyse_entities(nlp(text)).mentions if m.label == "ORG"]
    assert any(o.endswith(name) for o in orgs), orgs


@pytest.mark.parametrize(
    "text", ["Brazil and Argentina said they would talk.", "Apple and Google Inc. said so."]
)
def test_two_bodies_joined_by_and_stay_two(nlp, text: str) -> None:
    mentions = analyse_entities(nlp(text)).mentions
    assert len(mentions) == 2 and all(" and " not in m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Campaign adviser Barry Ben\u00adnett said the polls were wrong.", "Barry Bennett"),
        ("Dean Johnson, the principal, said classes would resume.", "Dean Johnson"),
    ],
)
def test_a_person_keeps_the_whole_name(nlp, text: str, name: str) -> None:
    assert name in analyse_entities(nlp(text)).people()

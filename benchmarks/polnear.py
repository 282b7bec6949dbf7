"""PolNeAR (Newell, Margolin and Ruths, LREC 2018) read as quote gold, for quotes_eval.py.

PolNeAR marks every attribution (beliefs and intentions too) as Source / Cue / Content
spans in brat standoff. The quote view kept here: attributions whose cue is a verb of
saying ("said", "according to", "told reporters") or whose content carries quotation
marks. Each `;`-separated piece of a content span is one gold piece. The gold speaker is
the source mention resolved to the article's fullest name for it: for a named source, the
most frequent (then longest) capitalised name in the text that ends with its surname and
opens with a first name, titles dropped ("Trump" → "Donald Trump"). Pronoun and
common-noun sources have no gold speaker (PolNeAR does not resolve pronouns, and how a
common noun is written varies) and are left out of speaker accuracy.

Two views (`view=`): "speech" (the default, GGT's) and "broad" (the first one, kept so its
figures can be reproduced). "broad" keeps any attribution under the verbs below or with
quotation marks in its content. That counts things no GGT annotator marks: the target of an
evaluation ("criticized Bill Clinton", "praised her effort", "pointed to the poll"), what
was not said ("did not respond to requests for comment"), a question's topic with no asker
("Asked about Cruz's charges"), a poll, a data set or a report as the source ("according to
the NBC poll"), and a belief with a scare quote in it ("thinks the system is 'rigged'").
"speech" keeps content in quotation marks unless its cue is a belief or perception verb;
unquoted content only under a verb whose object is what was said (not the evaluative verbs),
with a source, a cue that is not negated, and a source that is not a poll, data or a study.
It also joins the pieces of one content span that only spaces separate within a paragraph
(brat cuts spans at sentence boundaries).

The corpus is the publishers' text shared for research: it is read from a path given on
the command line and never copied into the repository.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import gender_guesser.detector as gender
from nameparser import HumanName

# Verbs of saying (GGT's and PARC's lists, lemmas), the cue's head word.
SAYING = frozenset(
    """say tell add note state explain announce insist write report ask reply respond
    acknowledge admit confirm deny recall stress emphasize emphasise comment conclude assert
    observe tweet declare allege maintain complain concede reveal urge promise vow pledge
    caution contend remark testify recommend propose mention speculate advise affirm answer
    boast clarify counter demand disclose exclaim hint joke lament muse opine proclaim quip
    reiterate remind repeat retort shout whisper post plead inform assure continue read cite
    describe call quote charge argue claim warn predict suggest agree accuse criticize
    criticise blast slam praise thank scoff point go put""".split()  # noqa: SIM905
)
# Verbs whose unquoted object is a person or a thing judged, not what was said: in the
# speech view their content counts only in quotation marks ('called it "a disgrace"').
EVALUATIVE = frozenset(
    """criticize criticise blast slam praise thank accuse describe call cite point charge
    mention quote read remind continue go put inform""".split()  # noqa: SIM905
)
# A cue of belief, perception or intention: no speech even when the content has a quotation
# mark in it (a scare quote inside a belief).
BELIEF = frozenset(
    """think thought believe hope want wish feel felt fear worry expect know knew seem find
    found show see seen saw consider view regard prefer intend plan""".split()  # noqa: SIM905
)
# A source that is data, not a speaker (GGT marks people and bodies that speak; a
# statement, release or letter stays: its author speaks).
NON_SPEAKER = re.compile(
    r"(polls?|polling|surveys?|data|study|studies|records|figures|analysis|analyses|"
    r"estimates?|results|census|numbers|tally|count|filings?|documents?|reports?|research|"
    r"averages?|models?|forecasts?|projections?)",
)


def _data_source(source: str) -> bool:
    """ "the NBC poll", "an earlier report in a paper", "F.A.A. records": the head word of
    the source's first phrase is a lowercase data noun ("the Census Bureau", "the U.S.
    Geological Survey" and "one of the authors of the report" speak)."""
    head = re.split(r",| of | in | from | by | for | that | who | which ", source)[0].split()
    return bool(head) and bool(NON_SPEAKER.fullmatch(re.sub(r"[’']s?$", "", head[-1]).strip(".,")))


_NEGATED = frozenset("not never n't didn't doesn't don't declined refused".split())  # noqa: SIM905
_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "put": "put",
              "went": "go", "goes": "go", "saying": "say", "telling": "tell",
              "thought": "think", "felt": "feel", "knew": "know", "found": "find",
              "seen": "see", "saw": "see"}  # fmt: skip
_MARKS = re.compile(r"[\"“”]")
_PRONOUNS = frozenset(
    "he she they it we i you him her them his its their who which that this".split()  # noqa: SIM905
)
_DETS = frozenset("the a an some many several most other various few both all".split())  # noqa: SIM905
_GENDER = gender.Detector(case_sensitive=False)
_NAME_RUN = re.compile(r"(?:(?:[A-Z][a-z]{0,3}\.|[A-Z][\w’'-]*)[ \xa0]+)*[A-Z][\w’'-]*")


_SUFFIXES = (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("d", ""))
_MORE_SUFFIXES = (("ing", "e"), ("ted", "t"), ("ped", "p"), ("ged", "g"), ("ting", "t"))


def _lemma(word: str, fixed: bool = True) -> str:
    """The verb's lemma by suffix; `fixed=False` is the broad view's first stemmer, which
    missed "noting", "admitted" (kept so that view's figures reproduce)."""
    w = word.lower().strip(".,:;")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    suffixes = _SUFFIXES + (_MORE_SUFFIXES if fixed else ())
    for suffix, repl in suffixes:
        stem = w[: -len(suffix)] + repl
        if w.endswith(suffix) and (stem in SAYING or stem in BELIEF):
            return stem
    return w


def _cue_lemmas(cue: str, fixed: bool = True) -> list[str]:
    """The cue's words as lemmas, auxiliaries and "also" left out."""
    words = re.findall(r"[A-Za-z’']+", cue.lower())
    return [_lemma(w, fixed) for w in words if w not in ("has", "have", "had", "also")]


def is_saying(cue: str, fixed: bool = False) -> bool:
    lemmas = _cue_lemmas(cue, fixed)
    return "according" in lemmas or any(w in SAYING for w in lemmas)


def in_view(cue: str, source: str, marked: bool, view: str = "speech") -> bool:
    """Whether an attribution is a quote in the view: see the module's doc."""
    if view == "broad":
        return is_saying(cue) or marked
    lemmas = _cue_lemmas(cue)
    if any(w in BELIEF for w in lemmas) and not any(w in SAYING for w in lemmas):
        return False
    if marked:
        return True
    if not source.strip() or any(w in _NEGATED for w in cue.lower().replace("’", "'").split()):
        return False
    if _data_source(source):
        return False
    if "according" in lemmas or " ".join(lemmas[-2:]) == "point out":
        return True
    return any(w in SAYING and w not in EVALUATIVE for w in lemmas)


def _spans(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (p.split() for p in field.split(";"))]


def parse_ann(text: str) -> list[dict]:
    """Attributions: {"source": [(s, e)], "cue": [...], "content": [...]}."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(where))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for ev in events:
        att = {role.lower(): spans[t][1] for role, t in ev.items() if t in spans}
        if "content" in att:
            out.append(att)
    return out


def _clean(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    parsed = HumanName(name)
    parsed.title = ""
    return re.sub(r"\s+", " ", str(parsed)).strip() or name


_TITLES = frozenset(
    "sen senator gov governor rep president secretary mayor dr mr mrs ms judge former".split()  # noqa: SIM905
)


def _title(word: str) -> bool:
    """ "Sen.", "Gov.", "Secretary": a title inside a name run ("Carolina Sen. Lindsey")."""
    w = word.lower().rstrip(".")
    return w in _TITLES or (word.endswith(".") and len(w) > 1)


def _first_name(word: str) -> bool:
    return _GENDER.get_gender(word) != "unknown" or bool(re.fullmatch(r"[A-Z]\.", word))


def fullest_name(text: str, source: str) -> str | None:
    source = re.split(r",| of | for | at | from | who | in | with ", source)[0]
    words = re.findall(r"[\w’'.-]+", source)
    words = [w for w in words if w.lower() not in _DETS]
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return None
    last = re.sub(r"[’']s$", "", words[-1])
    if not last[:1].isupper():
        return None  # "officials", "the campaign": how a common noun is written varies
    runs: Counter[str] = Counter()
    for m in _NAME_RUN.finditer(text):
        run = _clean(m.group()).split()
        if not run or run[-1] != last:
            continue
        for k in range(max(0, len(run) - 4), len(run) - 1):  # suffixes opening with a first name
            if _first_name(run[k]) and not any(_title(w) for w in run[k:]):
                runs[" ".join(run[k:])] += 1
    if not runs:
        words = _clean(" ".join(words)).split()
        return " ".join(words[-2:])  # "Reporter Jomana Karadsheh" → "Jomana Karadsheh"
    return max(sorted(runs), key=lambda r: (runs[r], len(r)))


def _merged(text: str, segments: list[dict]) -> list[dict]:
    """Pieces of one content span with only white space between them are one piece: brat
    cuts a span at sentence boundaries (`“They understand our plight. Both …”` is two
    pieces in the file), where GGT marks one quoted stretch."""
    out: list[dict] = []
    for seg in segments:
        if out and not text[out[-1]["end"] : seg["start"]].strip(" \xa0"):
            out[-1] = {"start": out[-1]["start"], "end": seg["end"]}
        else:
            out.append(dict(seg))
    return out


def load_polnear(
    root: Path, split: str, limit: int | None = None, view: str = "speech"
) -> list[dict]:
    """Gold records ({"file", "path", "quotes": [{"speaker", "segments", "kind"}]}) for
    the quote view of one split, one annotator per article (the first by name)."""
    folder = root / split
    records = []
    texts = sorted((folder / "text").glob("*.txt"))
    for path in texts[:limit] if limit else texts:
        anns = sorted((folder / "attributions").glob(path.stem + "_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        quotes = []
        for att in parse_ann(anns[0].read_text(encoding="utf-8")):
            cue = " ".join(text[a:b] for a, b in att.get("cue", []))
            content = att["content"]
            marked = any(_MARKS.search(text[a:b]) for a, b in content)
            source = " ".join(text[a:b] for a, b in att.get("source", []))
            if not in_view(cue, source, marked, view):
                continue
            segments = []
            for a, b in content:
                seg = text[a:b]
                lead = len(seg) - len(seg.lstrip(" \"“”‘’'"))
                tail = len(seg) - len(seg.rstrip(" \"“”‘’',"))
                if b - tail > a + lead:
                    segments.append({"start": a + lead, "end": b - tail})
            if view != "broad":
                segments = _merged(text, segments)
            if segments:
                quotes.append(
                    {
                        "speaker": fullest_name(text, source) if source else None,
                        "speaker_text": source,
                        "segments": segments,
                        "kind": "direct" if marked else "indirect",
                    }
                )
        records.append({"file": path.name, "path": str(path), "quotes": quotes})
    return records

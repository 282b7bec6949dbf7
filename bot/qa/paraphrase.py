"""Words that can stand for a question's word in an article: WordNet synonyms, derived
forms and near relations, each with partial credit.

"Who started the company?" is answered by "… founded the company"; "how many were
injured" by "… wounding 12". A literal match still counts more than a related word
(full credit for synonyms costs literal questions more than it gains on paraphrases).

The data is WordNet 3.0's own database files as Debian's `wordnet-base` installs them
(/usr/share/wordnet, or WORDNET_DIR). They are mapped into memory and read as WordNet's
own tools do: a binary search of the sorted index file finds a word's synsets, whose
numbers are byte offsets into the data file — no load time and a few microseconds a word.
(nltk's reader takes ~2 s to load and ~15 ms to gather one word's relations, most of a
question's time budget.) Without the files, matching is literal and one line says why.
"""

from __future__ import annotations

import logging
import mmap
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.qa.params import AnswerParams

log = logging.getLogger(__name__)

DEFAULT_DIR = Path("/usr/share/wordnet")
HINT = "install Debian's wordnet-base (apt-get install wordnet-base) or set WORDNET_DIR"
POS = {"NOUN": "noun", "VERB": "verb", "ADJ": "adj"}
_POS_OF = {b"n": "noun", b"v": "verb", b"a": "adj", b"s": "adj", b"r": "adv"}
NOUN_PERSON = b"18"  # lexicographer file number of noun.person (lexnames(5WN))
HYPERNYM, HYPONYM, DERIVED, CAUSE, ENTAILS = b"@", b"~", b"+", b">", b"*"


class _Synset:
    __slots__ = ("pointers", "words")

    def __init__(self, words: list[str], pointers: list[tuple[bytes, int, str, int, int]]):
        self.words = words  # lower case, "_" between the words of a multiword lemma
        self.pointers = pointers  # (symbol, offset, pos, source word, target word)


def _parse(line: bytes) -> _Synset:
    """One line of a data file (wndb(5WN)): offset lex_filenum ss_type w_cnt [word lex_id]…
    p_cnt [symbol offset pos source/target]… | gloss."""
    fields = line.split(b" | ", 1)[0].split()
    count = int(fields[3], 16)
    words = [fields[4 + 2 * i].decode("utf-8", "replace").lower() for i in range(count)]
    words = [w.split("(", 1)[0] for w in words]  # "galore(ip)": the syntactic marker off
    at = 4 + 2 * count
    pointers = []
    for i in range(int(fields[at])):
        symbol, offset, pos, st = fields[at + 1 + 4 * i : at + 5 + 4 * i]
        pointers.append((symbol, int(offset), _POS_OF[pos], int(st[:2], 16), int(st[2:], 16)))
    return _Synset(words, pointers)


class _Files:
    """The index and data files of each part of speech, memory-mapped."""

    def __init__(self, folder: Path) -> None:
        self.index: dict[str, mmap.mmap] = {}
        self.data: dict[str, mmap.mmap] = {}
        for pos in ("noun", "verb", "adj"):
            for kind, table in (("index", self.index), ("data", self.data)):
                with open(folder / f"{kind}.{pos}", "rb") as fh:
                    table[pos] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

        self._causes: dict[int, list[int]] | None = None

    def causes(self, offset: int) -> list[int]:
        """Verb synsets that cause or entail this one ("kill" → "die", "snore" → "sleep"):
        WordNet points from cause to effect only, so the few hundred such pointers are
        gathered once, from the lines that hold one."""
        if self._causes is None:
            found: dict[int, list[int]] = {}
            data = self.data["verb"]
            for line in bytes(data).split(b"\n"):
                if line[:1].isdigit() and (b" > " in line or b" * " in line):
                    synset = _parse(line)
                    for symbol, target, _pos, _s, _t in synset.pointers:
                        if symbol in (CAUSE, ENTAILS):
                            found.setdefault(target, []).append(int(line.split(b" ", 1)[0]))
            self._causes = found
        return self._causes.get(offset, [])

    def offsets(self, lemma: str, pos: str) -> list[int]:
        """The word's synsets, commonest sense first (binary search of the sorted index)."""
        index = self.index[pos]
        key = lemma.replace(" ", "_").encode() + b" "
        lo, hi = 0, len(index)
        while lo < hi:
            mid = (lo + hi) // 2
            start = index.rfind(b"\n", 0, mid) + 1
            end = index.find(b"\n", start)
            end = len(index) if end < 0 else end
            line = index[start:end]
            if line.startswith(b"  "):  # the licence at the top sorts before every word
                lo = end + 1
            elif line.startswith(key):
                fields = line.split()
                senses = int(fields[2])
                return [int(f) for f in fields[-senses:]]
            elif line < key:
                lo = end + 1
            else:
                hi = start
        return []

    def synset(self, offset: int, pos: str) -> _Synset:
        data = self.data[pos]
        return _parse(data[offset : data.find(b"\n", offset)])


class Lexicon:
    """WordNet's files, opened on first use; `related` is cached per word."""

    def __init__(self, folder: Path | None = None) -> None:
        env = os.environ.get("WORDNET_DIR")
        self.folder = folder or (Path(env) if env else DEFAULT_DIR)
        self._files: _Files | None = None
        self._error: str | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._open() is not None

    def _open(self) -> _Files | None:
        if self._files is not None or self._error is not None:
            return self._files
        with self._lock:
            if self._files is None and self._error is None:
                try:
                    self._files = _Files(self.folder)
                except (OSError, ValueError) as exc:
                    self._error = f"no WordNet at {self.folder} ({exc.__class__.__name__})"
                    log.warning("paraphrase matching is off: %s; %s", self._error, HINT)
        return self._files

    def only_common_noun(self, word: str) -> bool:
        """True when WordNet has `word` as a noun and writes it in lower case in every sense:
        "turnout" (no one is called Turnout), unlike "park" or "smith", which also name
        people ("Park", "Smith"). False without WordNet."""
        files = self._open()
        if files is None or not word.isalpha():
            return False
        offsets = files.offsets(word.lower(), "noun")
        if not offsets:
            return False
        data = files.data["noun"]
        for offset in offsets:
            fields = data[offset : data.find(b"\n", offset)].split(b" | ", 1)[0].split()
            count = int(fields[3], 16)
            written = [fields[4 + 2 * i].split(b"(", 1)[0] for i in range(count)]
            if any(w.lower() == word.lower().encode() and not w.islower() for w in written):
                return False
        return True

    def names_people(self, lemma: str, senses: int = 1) -> bool:
        """Whether the noun `lemma` is a kind of person in one of its commonest senses
        (WordNet's lexicographer file noun.person): "fishermen", "sister", "editor" can
        answer "who …?" though they name no one. False without WordNet."""
        files = self._open()
        if files is None or not lemma.isalpha():
            return False
        data = files.data["noun"]
        for offset in files.offsets(lemma.lower(), "noun")[:senses]:
            fields = data[offset : offset + 16].split(b" ", 2)
            if len(fields) > 1 and fields[1] == NOUN_PERSON:
                return True
        return False

    def knows(self, word: str) -> bool:
        """Whether WordNet has `word` (as written or as a base form) as a noun, verb or
        adjective; True without WordNet (nothing can be told)."""
        files = self._open()
        if files is None or not word.isalpha():
            return True
        return any(
            files.offsets(form, pos)
            for form in _base_forms(word.lower())
            for pos in ("noun", "verb", "adj")
        )

    def related(self, lemma: str, pos: str, params: AnswerParams) -> dict[str, float]:
        """One-word lemmas (lower case) that can stand for `lemma` (a word, or a phrasal
        verb as "leave out"), with their credit: synonyms in its commonest senses, their
        derived forms ("injure" → "injury"), and for nouns and verbs one step up or down
        ("unveil" → "uncover")."""
        return dict(_related(self, lemma.lower(), POS.get(pos, ""), params))


def _base_forms(word: str) -> tuple[str, ...]:
    """The word and what it may inflect ("drives" → "drive", "voted" → "vote"), for a
    dictionary look-up; a crude stand-in for WordNet's morphy."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e"), ("'s", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)] + repl)
    return tuple(forms)


@lru_cache(maxsize=8192)
def _related(
    lexicon: Lexicon, lemma: str, pos: str, params: AnswerParams
) -> tuple[tuple[str, float], ...]:
    files = lexicon._open()
    if files is None or not pos or not lemma.replace(" ", "").replace("-", "").isalpha():
        return ()
    out: dict[str, float] = {}

    def add(word: str, credit: float) -> None:
        if "_" in word:  # a multiword lemma never matches one word of an article
            return
        if word != lemma and credit > out.get(word, 0.0):
            out[word] = credit

    try:
        key = lemma.replace(" ", "_")
        for offset in files.offsets(lemma, pos)[: params.wordnet_senses]:
            synset = files.synset(offset, pos)
            for word in synset.words:
                add(word, params.synonym_credit)
            for symbol, target, tpos, source, tword in synset.pointers:
                if symbol == DERIVED:  # lexical: from one word of the synset to one word
                    if source and synset.words[source - 1] in (key, *synset.words[:3]):
                        other = files.synset(target, tpos)
                        add(other.words[tword - 1], params.derived_credit)
                elif symbol in (HYPERNYM, HYPONYM) and pos in ("noun", "verb"):
                    for word in files.synset(target, tpos).words[:3]:
                        add(word, params.hypernym_credit)
            if pos == "verb":  # "died" ← "killed": what causes or entails it
                for cause in files.causes(offset):
                    for word in files.synset(cause, pos).words[:3]:
                        add(word, params.hypernym_credit)
    except (ValueError, IndexError, KeyError) as exc:  # a malformed line: no relations
        log.debug("WordNet line for %r unreadable: %s", lemma, exc)
        return ()
    return tuple(sorted(out.items()))


LEXICON = Lexicon()

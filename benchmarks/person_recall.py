"""Person-entity recall against the GUM gold (linked persons), through the real ingest.

    .venv/bin/python benchmarks/person_recall.py [--gum DIR] [--json FILE]

Ingests the GUM news articles into a temporary database, exports them, and compares the
exported PERSON entities with the gold person entities that annotators linked to Wikipedia:
- entity recall: a linked person counts as found when an exported canonical PERSON name
  equals its identity (accents and case aside) or shares its surname;
- full-name recall: only the exact canonical name counts;
- mention recall: gold person mentions of linked people overlapped by an exported PERSON
  mention (proper-name mentions only: pronouns and descriptions are not NER's job);
- precision of the exported canonical PERSON names that are linked gold people's names.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.service import Newsdesk  # noqa: E402
from bot.settings import Settings, apply_environment  # noqa: E402
from corpora import GUM_DIR  # noqa: E402

DEFAULT_GUM = GUM_DIR


def fold(text: str) -> str:
    """Names, not spellings: "Alice_Mak_(politician)" ~ "Alice Mak", "Al-Maeena" ~ "Al Maeena"."""
    text = re.sub(r"\s*\([^)]*\)", "", text.replace("_", " ")).replace("-", " ")
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def is_name(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return (
        bool(words)
        and all(w[0].isupper() for w in words)
        and text.split()[0]
        not in {
            "He",
            "She",
            "They",
            "His",
            "Her",
            "The",
            "A",
            "An",
        }
    )


async def export(gum: Path, db: Path) -> list[dict]:
    settings = Settings(_env_file=None, corpus_dir=gum, database=db)
    apply_environment(settings)
    desk = await Newsdesk.open(settings)
    try:
        await desk.ingest(progress=False)
        return await desk.export_rows()
    finally:
        await desk.close()


def score(rows: list[dict], gold_lines: list[dict]) -> dict:
    by_source = {r["source"]: r for r in rows}
    found = full = total = 0
    m_found = m_total = 0
    predicted = correct = 0
    per_file = {}
    for gold in gold_lines:
        row = by_source[gold["file"]]
        people = {fold(e["canonical"]) for e in row["entities"] if e["label"] == "PERSON"}
        surnames = {p.split()[-1] for p in people if p}
        linked = {
            fold(e["identity"])
            for e in gold["entities"]
            if e["type"] == "person" and e.get("identity")
        }
        hits = {i for i in linked if i in people or i.split()[-1] in surnames}
        full_hits = {i for i in linked if i in people}
        found, full, total = found + len(hits), full + len(full_hits), total + len(linked)
        spans = [(e["start"], e["end"]) for e in row["entities"] if e["label"] == "PERSON"]
        for e in gold["entities"]:
            if e["type"] == "person" and e.get("identity") and is_name(e["text"]):
                m_total += 1
                m_found += any(s < e["end"] and e["start"] < t for s, t in spans)
        predicted += len(people)
        correct += len({p for p in people if p in linked})
        per_file[gold["file"]] = (len(hits), len(linked))
    return {
        "entity_recall": found / total,
        "full_name_recall": full / total,
        "mention_recall": m_found / m_total,
        "linked_people": total,
        "name_mentions": m_total,
        "precision_vs_linked": correct / predicted if predicted else 0.0,
        "per_file": per_file,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gum", type=Path, default=DEFAULT_GUM)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    gold_lines = [json.loads(line) for line in (args.gum / "gold.jsonl").read_text().splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        rows = asyncio.run(export(args.gum, Path(tmp) / "db.sqlite3"))
    figures = score(rows, gold_lines)
    print(f"{'file':<20} found/linked")
    for name, (hit, total) in sorted(figures["per_file"].items()):
        print(f"{name:<20} {hit}/{total}")
    print(
        f"\nlinked persons: {figures['linked_people']}  "
        f"entity recall: {figures['entity_recall']:.1%}  "
        f"full-name recall: {figures['full_name_recall']:.1%}  "
        f"name-mention recall: {figures['mention_recall']:.1%} of {figures['name_mentions']}  "
        f"precision (canonical PERSON names that are linked gold people): "
        f"{figures['precision_vs_linked']:.1%}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

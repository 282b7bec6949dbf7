"""A warm restart with nothing to analyse imports neither spaCy nor torch: they take
seconds to import (more than the rest of start-up at 10,000 articles), and are loaded
only when an article must be analysed or a question asked."""

from __future__ import annotations

from pathlib import Path

from support import run_python_json

from bot.service import Newsdesk

WARM_START = """
import asyncio, json, sys
from pathlib import Path
from bot.autocomplete import ChoiceCache
from bot.service import Newsdesk
from bot.settings import Settings

async def main():
    settings = Settings(_env_file=None, corpus_dir=Path(sys.argv[1]), database=sys.argv[2],
                        watch_corpus=False)
    desk = await Newsdesk.open(settings)
    try:
        choices = ChoiceCache()
        await choices.refresh(desk)
        report = await desk.ingest(progress=False)
        await choices.refresh(desk)
    finally:
        await desk.close()
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc", "torch"))
    print(json.dumps({"analysed": report.analysed, "unchanged": report.unchanged,
                      "articles": len(choices.articles), "heavy": heavy[:5]}))

asyncio.run(main())
"""


def _warm_start(corpus: Path, db: Path) -> dict:
    return run_python_json(WARM_START, str(corpus), str(db))  # type: ignore[return-value]


async def test_a_warm_restart_loads_no_spacy_and_no_torch(
    desk: Newsdesk, seed_corpus: Path, tmp_path: Path
) -> None:
    assert (await desk.ingest()).analysed == 1
    db = Path(desk.settings.database)
    seen = _warm_start(seed_corpus, db)
    assert (seen["analysed"], seen["unchanged"], seen["articles"]) == (0, 1, 1)
    assert seen["heavy"] == [], f"a warm restart imported {seen['heavy']}"

"""Where the repository's test and benchmark texts live (see corpora/README.md).

Importable from the repository root (pytest's pythonpath has "."; the harnesses put the root
on sys.path). Nothing here imports the bot.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
GUM_DIR = CORPORA / "gum-news"  # GUM Wikinews texts (CC BY 2.5) and gold (CC BY 4.0)
GUM_GOLD = GUM_DIR / "gold.jsonl"
SEED_FILE = ROOT / "seeds" / "000_dc43907925d3983f.txt"  # also the default corpus's article
QUOTES_GOLD = ROOT / "benchmarks" / "gold" / "quotes.jsonl"
QA_QUESTIONS = ROOT / "benchmarks" / "qa_questions.jsonl"

"""Answers as plain text for the CLI and the console, and how the CLI splits questions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.qa.service import Answer

EVIDENCE_CHARS = 400


def split_questions(args: Sequence[str]) -> list[str]:
    """Questions from the command line: each quoted argument is one question (several if it
    holds several "?"), and unquoted words run on until one ends with "?".

    `ask "Where is X?" "Who is Y?"` and `ask Where is X? Who is Y?` both give two questions.
    """
    questions: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            questions.append(" ".join(words))
            words.clear()

    for arg in args:
        if any(c.isspace() for c in arg.strip()):
            flush()
            parts = [p.strip() + "?" for p in arg.split("?")[:-1] if p.strip()]
            tail = arg.split("?")[-1].strip()
            questions.extend(parts + ([tail] if tail else []))
            if not parts and not tail:
                questions.append(arg)
        else:
            words.append(arg)
            if arg.endswith("?"):
                flush()
    flush()
    return questions or [""]


def _clip(text: str, limit: int = EVIDENCE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_answer(answer: Answer) -> str:
    lines = [f"Q: {answer.question}"]
    if answer.found:
        hedge = "best match, " if answer.best_match else ""
        lines.append(f"A: {answer.answer}   ({hedge}confidence {answer.score:.2f})")
        lines.append(f"   “{_clip(answer.evidence or '')}”")
        lines.append(f"   — {answer.title} ({answer.source})")
    else:
        lines.append(f"A: {answer.answer}")
        if answer.passages:
            lines.append("   Closest passages:")
            for n, p in enumerate(answer.passages, 1):
                lines.append(f"   {n}. “{_clip(p.text, 240)}” — {p.title} ({p.source})")
    if answer.note:
        lines.append(f"   note: {answer.note}")
    return "\n".join(lines)

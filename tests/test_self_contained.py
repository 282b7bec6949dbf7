"""The repository stands alone: no tracked file reads a folder beside the clone."""

from __future__ import annotations

import json
import os
import re
import subprocess

from corpora import GUM_DIR, GUM_GOLD, QA_QUESTIONS, QUOTES_GOLD, ROOT, SEED_FILE

# The team's machines keep a shared folder beside the clone; a public clone has none. The
# pattern catches "../" + it, "/work/" + it, it + "/corpus" or "/data", and it as a quoted
# path part; it is spelt [d] so that this file doesn't match itself.
OUTSIDE = re.compile(
    r"""\.\.[/\\]share[d]\b|/work/share[d]\b|\bshare[d][/\\](corpus|data)\b|["']share[d]["']"""
)
NAME = "sha" + "red"
SKIPPED_SUFFIXES = (".md",)  # prose may say where the data came from


def tracked_files() -> list[str]:
    """git's list of tracked files; without git (an unpacked archive), every file but caches."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        return [name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        ignored = {".git", ".venv", "data", "__pycache__", ".pytest_cache", ".ruff_cache"}
        names = []
        for folder, dirs, files in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in ignored and not d.endswith(".egg-info")]
            names += [os.path.relpath(os.path.join(folder, f), ROOT) for f in files]
        return names


def test_no_tracked_file_reads_outside_the_repository() -> None:
    names = [n for n in tracked_files() if not n.endswith(SKIPPED_SUFFIXES)]
    assert len(names) > 50  # the listing worked
    offenders = []
    for name in names:
        path = ROOT / name
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        offenders += [
            f"{name}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert not offenders, "reads outside the repository:\n" + "\n".join(offenders)


def test_the_pattern_catches_the_ways_of_reaching_outside() -> None:
    for line in (
        'CORPUS = ROOT.parent / "{}" / "corpus"',
        "corpus = '../{}/corpus/gum-news'",
        "open('/work/{}/data/polnear/x.json')",
        "path = base / '{}/data'",
    ):
        assert OUTSIDE.search(line.format(NAME)), line
    assert not OUTSIDE.search('"""Plain-text renderings, shared by the CLI and the console."""')


def test_the_data_the_tests_and_harnesses_read_is_in_the_repository() -> None:
    texts = sorted(GUM_DIR.glob("*.txt"))
    assert len(texts) == 24
    for path in (SEED_FILE, GUM_GOLD, QUOTES_GOLD, QA_QUESTIONS, *texts):
        assert path.is_file() and path.is_relative_to(ROOT), path
    lines = GUM_GOLD.read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["file"] for line in lines if line.strip()} == {p.name for p in texts}
    assert "CC BY 2.5" in (GUM_DIR.parent / "README.md").read_text(encoding="utf-8")

"""Adding an uploaded file to the corpus folder and removing an article's file from it.

An upload is checked before it lands: a supported suffix, under the size cap, and loadable
by the corpus loader itself (so a binary or non-UTF-8 file is refused with the loader's
own reason rather than skipped later). Paths never leave the corpus folder.

An upload's name is its own: the sender's file name, NFKC-normalised before anything
else (`..／x.txt` is `../x.txt`, `ｘ.ｔｘｔ` is `x.txt`), cut to a plain slug with its suffix
kept, then a short hash of the content. So two different files never share a name (no
upload silently replaces another) and the same file sent twice lands on the same one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path, PurePosixPath

from bot.corpus import SUPPORTED_SUFFIXES, SkipFile, load_file
from bot.errors import UserError, echo
from bot.fetch import write_atomically

UPLOAD_FOLDER = "uploads"
MAX_STEM = 80
HASH_CHARS = 10


def safe_filename(name: str, max_stem: int = MAX_STEM) -> str:
    """A plain file name: no folders, no leading dots, only safe characters, the stem cut
    to `max_stem` characters and the suffix kept."""
    name = unicodedata.normalize("NFKC", name)  # first: fullwidth slashes are slashes
    base = PurePosixPath(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" ._")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = re.sub(r"[^\w]+", "", suffix)[:10]
    stem = stem.strip(" ._")[:max_stem].strip(" ._")
    if not stem:
        return f"upload.{suffix}" if suffix else "upload.txt"
    return f"{stem}.{suffix}" if suffix else stem


def upload_name(filename: str, data: bytes) -> str:
    """`safe_filename(filename)` with a short hash of `data` before its suffix."""
    name = safe_filename(filename)
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:HASH_CHARS]
    return f"{path.stem}-{digest}{path.suffix.lower()}"


def save_upload(corpus_dir: Path, filename: str, data: bytes, max_bytes: int) -> Path:
    """Validate and save an uploaded article file under corpus/uploads/; returns its path."""
    shown, name = safe_filename(filename), upload_name(filename, data)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UserError(f"“{echo(shown)}” isn't an article file; send one of {kinds}.")
    if len(data) > max_bytes:
        raise UserError(f"“{echo(shown)}” is larger than {max_bytes:,} bytes.")
    folder = corpus_dir / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".check-{name}"
    try:
        probe.write_bytes(data)
        load_file(probe, name, max_bytes)
    except SkipFile as exc:
        raise UserError(f"“{echo(shown)}” can't be used: {exc}.") from None
    finally:
        probe.unlink(missing_ok=True)
    path = folder / name
    write_atomically(path, data)
    return path


def corpus_file(corpus_dir: Path, source: str) -> Path:
    """The file an article came from, guaranteed to lie inside the corpus folder."""
    root = corpus_dir.resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or path == root:
        raise UserError("That article's file is outside the corpus folder.")
    return path


def remove_source(corpus_dir: Path, source: str) -> Path:
    """Delete an article's file; returns the path removed."""
    path = corpus_file(corpus_dir, source)
    try:
        path.unlink()
    except FileNotFoundError:
        raise UserError(f"{source} is already gone from the corpus folder.") from None
    return path

"""What identifies an extraction's inputs: the file's bytes, and the version of the extractor that read it.

A build skips a file whose bytes and extractor are those of its stored extraction (an incremental
build): the file's digest is the SHA-256 of its bytes (:func:`file_digest`), the extractor's version
a digest of the code and data that turn a file into facts (:func:`extractor_version`: the readers and
extractors, the resolvers, the ontology and gazetteer files, the records they fill). Editing any of
them re-extracts every file on the next build; the CLI, queries, checks and views do not count.

>>> len(extractor_version()), extractor_version() == extractor_version()
(16, True)
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

__all__ = ["EXTRACTOR_PARTS", "extractor_version", "file_digest"]

_PACKAGE = Path(__file__).resolve().parents[1]
# the parts of the package an extraction depends on (folders, or modules at its top)
EXTRACTOR_PARTS = ("loaders", "resolve", "ontology", "records.py", "errors.py", "text.py", "text_restore.py",
                   "dates.py", "ids.py")
_SUFFIXES = {".py", ".yaml", ".yml", ".ttl", ".json", ".txt"}


@cache
def extractor_version() -> str:
    """A digest of the extractor's code and data files (16 hex digits), computed once per process."""
    digest = hashlib.sha256()
    for part in EXTRACTOR_PARTS:
        root = _PACKAGE / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (hex), as the readers record it."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

"""The raw archive: every body fetched, stored once, addressed by its SHA-256.

Layout: ``<warehouse>/archive/sha256/<first two hex digits>/<hash>.gz`` (gzip-compressed bytes
exactly as received, after HTTP content decoding). Writes go to a temporary file and are renamed
into place, so a crash never leaves a half-written object and concurrent writers of the same
object are harmless. Later stages read bodies back by hash and never need the network again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ArchiveError(RuntimeError):
    pass


class RawArchive:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, content_hash: str) -> Path:
        if len(content_hash) != 64 or any(c not in "0123456789abcdef" for c in content_hash):
            raise ArchiveError(f"not a SHA-256 hex digest: {content_hash!r}")
        return self.root / "sha256" / content_hash[:2] / f"{content_hash}.gz"

    def has(self, content_hash: str) -> bool:
        return self.path_for(content_hash).is_file()

    def put(self, data: bytes) -> str:
        """Store `data` (idempotent) and return its SHA-256 hex digest."""
        digest = sha256_hex(data)
        target = self.path_for(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".gz")
        try:
            with (
                os.fdopen(fd, "wb") as fh,
                gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=6) as gz,
            ):
                gz.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, content_hash: str) -> bytes:
        path = self.path_for(content_hash)
        try:
            data = gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise ArchiveError(f"archive has no object {content_hash}") from exc
        if sha256_hex(data) != content_hash:
            raise ArchiveError(f"archive object {content_hash} is corrupt (hash mismatch)")
        return data

"""A cache of parsed decks, so that a start does not parse every YAML file again.

Keyed by the deck folder; valid only while every file's name, size and modification time (ns), the
attnquiz version and the parser's version (the size and time of the modules that parse a card) are the
same, so an edit, a new card, a deleted one or a new card field always means a fresh parse. The
cache lives in the learner's own data dir; a cache that cannot be read or written is simply not used.
`attnquiz validate` never uses it.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

from quizcli import __version__
from quizcli.cards import DECK_FILE, Deck, load_deck

CACHE_FORMAT = 3  # 2: key points as claims (subject, claim, opposite, not_of, implied); 3: inverse
Signature = tuple[tuple[str, int, int], ...]
PARSER_MODULES = ("cards.py", "keypoints.py")  # a new card field changes one of these: the cache is stale


def parser_version() -> Signature:
    """The parser's own version: name, size and modification time of the modules that build a Card."""
    here = Path(__file__).parent
    found = []
    for name in PARSER_MODULES:
        try:
            info = (here / name).stat()
        except OSError:
            continue
        found.append((name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def _signature(directory: Path) -> Signature | None:
    try:
        entries = []
        with os.scandir(directory) as scan:
            for entry in scan:
                if entry.name.endswith((".yaml", ".yml")):
                    info = entry.stat()
                    entries.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return None
    return tuple(sorted(entries))


def _cache_file(directory: Path) -> Path:
    from quizcli.paths import cache_dir

    # A weak hash is enough: the stamp inside holds the full path, so a collision only costs a re-parse.
    # (hashlib would load OpenSSL: 2 ms on every start.)
    resolved = str(directory.resolve())
    return cache_dir() / "decks" / f"{directory.name[:40]}-{zlib.crc32(resolved.encode()):08x}.pickle"


def load_deck_cached(directory: Path) -> Deck:
    signature = _signature(directory)
    if not signature or not any(name != DECK_FILE for name, _, _ in signature):
        return load_deck(directory)  # missing or empty: let load_deck say what is wrong
    cache = _cache_file(directory)
    stamp = (CACHE_FORMAT, __version__, parser_version(), str(directory.resolve()), signature)
    try:
        with cache.open("rb") as handle:
            cached_stamp, deck = pickle.load(handle)
        if cached_stamp == stamp and isinstance(deck, Deck):
            return deck
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        pass
    deck = load_deck(directory)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump((stamp, deck), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError:
        pass
    return deck

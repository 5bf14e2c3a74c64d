"""The item's id: the same article always gets the same one.

This module owns ``article_id``: what an article's identity is made of, in order of
trust, and how it is hashed; and ``content_fingerprint``, what it says, whatever it is
called.
"""

from __future__ import annotations

import hashlib

from digest.models import Article
from digest.summarise.words import clean_line, normalised_lines, normalised_text


def article_id(article: Article, lines: list[str] | None = None) -> str:
    """The id of ``article``'s item, without summarising it: same article, same id,
    never from the path or the clock.

    In order of trust: the identity the source states (a feed entry's guid), its URL,
    else the whole article as written (stated title and every block, normalised).
    Hashing all of the text, not just the opening, means two articles that open alike
    (a daily column with a fixed first paragraph) are never mistaken for one, at the
    price that an edited article counts as new. Nothing the summariser derives goes
    in, so a better title or heading rule never makes a published article look new.

    ``lines``: the blocks' texts through ``clean_line`` (``clean_texts``), when the
    caller has them; the id is the same.
    """
    if lines is not None and article.blocks:
        return _id(article, normalised_lines([clean_line(article.title or ""), *lines]))
    return _id(article, None)


def content_fingerprint(article: Article) -> str | None:
    """What ``article`` says, hashed: its stated title and every block, normalised, and
    nothing else (not its guid, URL, date or source).

    A feed that re-issues an entry under a new guid or link gives it a new
    ``article_id`` but the same fingerprint, so the pipeline can tell it was sent
    already. ``None`` for an article without text: its title alone says too little
    (two link-only entries may share one).
    """
    return _fingerprint(article, None)


def article_identity(article: Article) -> tuple[str, str | None]:
    """``(article_id(article), content_fingerprint(article))``, the text normalised
    once for both (on a first run over many files, that is most of the cost)."""
    body = _body(article) if article.blocks else None
    return _id(article, body), _fingerprint(article, body)


def _body(article: Article) -> str:
    """The stated title and every block as one normalised line (one pass over it all)."""
    texts = [article.title or "", *(block.text for block in article.blocks)]
    return normalised_text(" | ".join(texts))


def _id(article: Article, body: str | None) -> str:
    if article.key and article.key.strip():
        basis = "key\n" + article.key.strip()
    elif article.url and article.url.strip():
        basis = "url\n" + article.url.strip()
    elif article.blocks:
        basis = "text\n" + (body if body is not None else _body(article))
    else:
        basis = "empty\n" + normalised_text(article.title or "") + "\n" + article.source
    return _hash(basis)


def _fingerprint(article: Article, body: str | None) -> str | None:
    if not any(block.text.strip() for block in article.blocks):
        return None
    return _hash("content\n" + (body if body is not None else _body(article)))


def _hash(basis: str) -> str:
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

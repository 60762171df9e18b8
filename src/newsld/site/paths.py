"""Where a release IRI lives in the site: the relative path of its page, or of the page it is
an anchor on.

Articles, entities, events and unnamed sources get a page each at their IRI's path under the base
IRI plus ``.html`` (``{base}entity/danny-danon`` → ``entity/danny-danon.html``); a claim, a
review or an appearance is an anchor on the page of the article that reports it, which the index
knows (:meth:`newsld.site.index.SiteIndex.location`). Links between pages are relative, so the
site works from ``file://`` and from any folder of any static host.
"""

from __future__ import annotations

import posixpath
import re

PAGED = ("article", "entity", "event", "source")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def relative(iri: str, base: str) -> str | None:
    """``iri``'s path below ``base``, or None when it is not a release IRI."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    return rest or None


def page_path(iri: str, base: str) -> str | None:
    """The page of a paged IRI (article, entity, event, source), or None."""
    rest = relative(iri, base)
    if rest is None:
        return None
    segments = rest.split("/")
    if segments[0] not in PAGED or len(segments) < 2:
        return None
    if not all(_SEGMENT.match(segment) for segment in segments):
        return None  # a key no file name can carry as it is: no page of its own
    return rest + ".html"


def anchor(iri: str) -> str:
    """The fragment a claim, event, review or appearance is anchored at on a page."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def link(from_page: str, to: str) -> str:
    """A relative link from page ``from_page`` to ``to`` (both site-relative; ``to`` may carry a
    fragment)."""
    target, hash_, fragment = to.partition("#")
    if not target:
        path = posixpath.basename(from_page)
    else:  # both are normal site-relative paths: up from the page's folder, then down
        here = from_page.split("/")[:-1]
        there = target.split("/")
        common = 0
        while common < min(len(here), len(there) - 1) and here[common] == there[common]:
            common += 1
        path = "../" * (len(here) - common) + "/".join(there[common:])
    return path + (hash_ + fragment if hash_ else "")


def root(page: str) -> str:
    """The relative path from ``page`` up to the site root (``""`` or ``../../``)."""
    return "../" * page.count("/")

"""Find a concept by any name a user would type: its IRI, CURIE, id, label, synonym or abbreviation
(or an external identifier it matches exactly, such as ``HP:0012622`` or ``HP_0012622``).

This is the one resolver of pathokg (the map's focus, the paths of ``pathokg analyze``, concept
parameters of named queries and concept pages all use it), so every face accepts the same names
and answers a name it does not know with the same message and close matches.

>>> index = ConceptIndex([ConceptName("https://w3id.org/pathokg/concept/chronic-kidney-disease",
...                                   "chronic kidney disease", ("CKD",))])
>>> index.resolve("ckd")
'https://w3id.org/pathokg/concept/chronic-kidney-disease'
>>> index.resolve("kidny disease")
Traceback (most recent call last):
...
pathokg.errors.ConceptNotFound: unknown concept 'kidny disease'; did you mean: chronic kidney disease?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ConceptNotFound
from ..vocab import expand_curie, shorten


@dataclass(frozen=True)
class ConceptName:
    """The names of one concept: its IRI, preferred label, other names (synonyms, abbreviations)
    and the IRIs of the external terms it matches exactly (``skos:exactMatch``)."""

    iri: str
    label: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()


def _id_of(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


#: An OBO-style identifier (``HP_0012622``), the local part of an OBO IRI.
_OBO_ID = re.compile(r"^([A-Za-z]+)_(\w+)$")


def expand_identifier(value: str) -> str | None:
    """The IRI of a CURIE of a known prefix (``pk:burn``, ``MESH:D002114``) or of an OBO id
    (``HP_0012622``), or ``None``.

    >>> expand_identifier("HP_0012622")
    'http://purl.obolibrary.org/obo/HP_0012622'
    """
    obo = _OBO_ID.match(value)
    return expand_curie(value) or (expand_curie(f"{obo[1]}:{obo[2]}") if obo else None)


def _plain(key: str) -> str:
    """A name as words, for close matches: an IRI's or CURIE's last part, ``-`` and ``_`` as spaces
    (``pk:dystrophic-calcificaton`` -> ``dystrophic calcificaton``)."""
    last = re.split(r"[/#:]", key.rstrip("/>"))[-1] or key
    return re.sub(r"[-_]+", " ", last).strip()


class ConceptIndex:
    """Every name of every concept, case-insensitive; a preferred label wins over another
    concept's synonym, and a synonym shared by several concepts names none of them alone.

    ``what`` names the things indexed in messages (``concept``, ``category``).
    """

    def __init__(self, concepts: Iterable[ConceptName], what: str = "concept"):
        self.what = what
        self.concepts = {c.iri: c for c in sorted(concepts, key=lambda c: c.iri)}
        self._labels = {c.label.casefold(): c.iri for c in self.concepts.values()}
        self._ids = {_id_of(iri).casefold(): iri for iri in self.concepts}
        self._synonyms: dict[str, set[str]] = {}
        for c in self.concepts.values():
            for name in c.synonyms:
                self._synonyms.setdefault(name.casefold(), set()).add(c.iri)
        self._xrefs: dict[str, set[str]] = {}
        for c in self.concepts.values():
            for xref in c.xrefs:
                self._xrefs.setdefault(xref, set()).add(c.iri)

    def __contains__(self, iri: object) -> bool:
        return iri in self.concepts

    def resolve(self, name: str) -> str:
        """The IRI of the concept called ``name`` (IRI, ``<IRI>``, CURIE, id, label, synonym, or an
        external identifier it matches exactly: CURIE, OBO id or IRI).

        :raises ConceptNotFound: no concept has that name (with close matches), or several do.
        """
        found = self.candidates(name)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(sorted(f"{self.concepts[i].label} ({shorten(i)})" for i in found))
            plural = "categories" if self.what == "category" else f"{self.what}s"
            raise ConceptNotFound(f"{name!r} names several {plural}: {listed}; use one of their ids")
        close = [self.concepts[i].label for i in self.close_matches(name)]
        hint = (f"; did you mean: {', '.join(close)}?" if close else
                "; try a label, a synonym such as an abbreviation, or a pathokg id")
        raise ConceptNotFound(f"unknown {self.what} {name!r}{hint}")

    def candidates(self, name: str) -> tuple[str, ...]:
        """The IRIs of the concepts ``name`` names: one, several (a synonym several concepts
        share) or none, in IRI order.

        >>> index = ConceptIndex([ConceptName("urn:x:a", "alpha", ("AB",)),
        ...                       ConceptName("urn:x:b", "beta", ("ab",))])
        >>> index.candidates("AB"), index.candidates("Alpha"), index.candidates("gamma")
        (('urn:x:a', 'urn:x:b'), ('urn:x:a',), ())
        """
        wanted = name.strip()
        if wanted.startswith("<") and wanted.endswith(">"):
            wanted = wanted[1:-1]
        if wanted in self.concepts:
            return (wanted,)
        expanded = expand_identifier(wanted)
        if expanded in self.concepts:
            return (expanded,)
        key = wanted.casefold()
        for table in (self._labels, self._ids):
            if key in table:
                return (table[key],)
        found = self._synonyms.get(key) or self._xrefs.get(expanded or wanted) or set()
        return tuple(sorted(found))

    def close_matches(self, name: str) -> list[str]:
        """The IRIs of the concepts with a name close to ``name`` (which named none): similar
        names, names that contain it, and names with a word close to one of its words; the
        closest first, at most eight."""
        key = _plain(name.strip().casefold())
        names: dict[str, str] = {}
        for c in self.concepts.values():
            for other in c.synonyms:
                names.setdefault(other.casefold(), c.iri)
        for c in self.concepts.values():
            names[c.label.casefold()] = c.iri
        close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
        words = {w for n in names for w in n.split()}
        near = set(difflib.get_close_matches(key, list(words), n=5, cutoff=0.7))
        close += [n for n in sorted(names) if n not in close
                  and (key in n or near & set(n.split()))][: 8 - len(close)]
        return list(dict.fromkeys(names[c] for c in close))

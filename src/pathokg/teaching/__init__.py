"""Teaching artefacts beyond the map: the article with its evidence highlighted (:mod:`.reader`)
and flashcards for Anki and Quizlet (:mod:`.flashcards`). Both are made from the graph's own
words (labels, relation labels as sentences, the article's verbatim quotes) and go into every
release; the reader is also served at ``/reader``.
"""

from __future__ import annotations

from .flashcards import Card, anki_package, flashcards, quizlet_csv
from .reader import reader_page

__all__ = ["Card", "anki_package", "flashcards", "quizlet_csv", "reader_page"]

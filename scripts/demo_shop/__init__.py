"""The demo shop generator: a sports & outdoor and beauty store in one directory.

Run it through ``scripts/make_demo_shop.py``. The output follows DESIGN.md contract 1
(products, policies, orders, customers, ads, events) plus two extra files the demo uses:
``personas.json`` (who each shopper is) and ``demo_facts.json`` (ground truth for examples and
evaluations: trending and out-of-stock products, known answers to filter queries).

Modules, in the order ``generate`` uses them: ``common`` (the shop's clock, the one source of
randomness), ``catalogue`` (one spec row per leaf category) and ``attributes`` (one builder per
category), ``products``, ``shoppers`` (customers and personas), ``orders``, ``ads``,
``events`` (behaviour), ``facts`` (known answers, coverage checks), ``policies`` (the prose
under ``prose/``) and ``generate`` (writing the directory).

Design decisions:

- Deterministic: one ``numpy`` Generator seeded from ``--seed`` drives every choice, nothing
  iterates over a ``set`` of strings (hash order changes between runs) and JSON is written
  with a fixed key order, so the same seed gives byte-identical files. A test checks it.
- Catalogue as data: each leaf category is one ``Spec`` row (brands, model names, price
  range, sentence pools) plus one small attribute builder. Adding a category is adding a row
  and a builder, not touching the generation loop.
- A hidden quality score ``q`` per product ties price to specs (a $180 shoe is lighter and
  better rated than a $70 one), so filters and rankings have believable answers.
- Descriptions are assembled from several openers, conditional detail sentences and closers
  per category, filled with the product's own attributes, so no two read the same and every
  sentence states something checkable (materials, weights, use, care, fit).
- Attribute names are the ones the search's constraint extractor knows (``sizes``,
  ``colors``, ``waterproof``, ``skin_type``, ``spf``...). Boolean attributes become query
  flags ("waterproof", "vegan"), so only a few, meaningful ones exist; no other attribute
  name contains "size", "spf", "skin" or "color", which the extractor treats specially.
- Coverage by construction, not by luck: a few "plan" rows pin the products that known
  queries depend on (waterproof trail shoes around $100 with and without size 10, SPF 30 and
  50 sunscreens), and ``check_coverage`` fails the run if a promise is not kept.
- Behaviour comes from personas: each shopper has category, price and brand affinities;
  sessions walk a view -> click -> favorite/cart -> purchase funnel over a popularity-skewed
  catalogue, a few products trend up in the last week, and every order placed inside the
  event window also appears as purchase events, so orders and behaviour tell one story.
- Policies and the shop's README are prose files (``prose/``, the single source) read at
  generation time, with numbers that agree across files (free shipping threshold, member
  tiers, return windows, warranty terms).
"""

from .generate import generate, main

__all__ = ["generate", "main"]

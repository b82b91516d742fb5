"""Product and policy search: hybrid ranking under hard constraints, typed results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ._constraints import Constraints, ParsedQuery, QueryParser, category_matches
from ._hybrid import HybridIndex
from ._model import PolicySection, Product
from ._text import tokenize


@dataclass(frozen=True)
class SearchHit:
    product: Product
    score: float  # fused rank score
    dense: float | None
    lexical: float | None
    snippet: str  # the chunk that matched best


@dataclass(frozen=True)
class SearchResult:
    query: str  # what was ranked (constraint phrases removed)
    hits: tuple[SearchHit, ...]
    constraints: Constraints  # everything that was applied as a hard filter
    candidates: int | None  # products that satisfied the constraints (None: unconstrained)
    unknown_terms: tuple[str, ...] = ()  # query terms no product mentions
    known_terms: int = 0

    @property
    def unknown_share(self) -> float:
        """Share of the query's terms the catalogue never uses (high: we don't sell that)."""
        terms = len(self.unknown_terms) + self.known_terms
        return len(self.unknown_terms) / terms if terms else 0.0

    @property
    def product_ids(self) -> list[str]:
        return [h.product.id for h in self.hits]


@dataclass(frozen=True)
class PolicyHit:
    section: PolicySection
    score: float
    snippet: str

    @property
    def citation(self) -> str:
        return self.section.citation


class _Columns:
    """Columnar copy of the catalogue so constraints filter 100k products in a few ms.

    Category and attribute tests are text matching (stemmed words), too slow to run per
    product per query at 100k products; they depend only on the category string or the
    attribute's values, so each distinct value is tested once and the answer broadcast.
    """

    def __init__(self, products: list[Product]):
        self.products = products
        self.ids = np.array([p.id for p in products], dtype=object)
        self.price = np.array([p.price for p in products], dtype=np.float64)
        self.stock = np.array([p.stock for p in products], dtype=np.int64)
        self.rating = np.array([p.rating if p.rating is not None else -1.0 for p in products])
        self.brand = np.array([p.brand.casefold() for p in products], dtype=object)
        self._category_groups = _groups([p.category for p in products])
        self._attribute_groups: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}

    def _per_group(
        self, groups: tuple[np.ndarray, np.ndarray], test: Callable[[Product], bool]
    ) -> np.ndarray:
        """``test`` on one product of each group, broadcast to every product of that group."""
        first, inverse = groups
        return np.array([test(self.products[i]) for i in first], dtype=bool)[inverse]

    def _attribute_groups_for(self, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        if names not in self._attribute_groups:
            self._attribute_groups[names] = _groups(
                [repr([v for name in names for v in p.attribute_values(name)]) for p in self.products]
            )
        return self._attribute_groups[names]

    def allowed(self, c: Constraints) -> set[str]:
        mask = np.ones(len(self.products), dtype=bool)
        if c.price_min is not None:
            mask &= self.price >= c.price_min
        if c.price_max is not None:
            mask &= self.price <= c.price_max
        if c.cheaper_than is not None:
            mask &= self.price < c.cheaper_than
        if c.pricier_than is not None:
            mask &= self.price > c.pricier_than
        if c.in_stock:
            mask &= self.stock > 0
        if c.min_rating is not None:
            mask &= self.rating >= c.min_rating
        if c.brands:
            mask &= np.isin(self.brand, [b.casefold() for b in c.brands])
        if c.categories:
            mask &= self._per_group(
                self._category_groups, lambda p: any(category_matches(cat, p) for cat in c.categories)
            )
        for a in c.attributes:
            mask &= self._per_group(self._attribute_groups_for(a.names), a.matches)
        if c.exclude_ids:
            mask &= ~np.isin(self.ids, list(c.exclude_ids))
        return set(self.ids[np.flatnonzero(mask)].tolist())


def _groups(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row of each distinct key's first occurrence, each row's distinct-key number)."""
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(np.array(keys, dtype=object), return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


class ProductSearch:
    """Hybrid product search where constraints are hard filters, never ranking hints."""

    def __init__(self, products: Iterable[Product], hybrid: HybridIndex, parser: QueryParser | None = None):
        self.products = {p.id: p for p in products}
        self.hybrid = hybrid
        self.parser = parser or QueryParser.from_products(self.products.values())
        self._columns = _Columns(list(self.products.values()))
        self._chunk_text = {c.id: c.text for c in hybrid.chunks}

    def parse(self, query: str) -> ParsedQuery:
        return self.parser.parse(query)

    def search(
        self, query: str, constraints: Constraints | None = None, k: int = 10, *, extract: bool = True
    ) -> SearchResult:
        """Rank products for ``query``; ``constraints`` add to (and override) extracted ones."""
        parsed = self.parser.parse(query) if extract else ParsedQuery(query, Constraints())
        applied = parsed.constraints.merged(constraints) if constraints else parsed.constraints
        allowed = None if applied.is_empty() else self._columns.allowed(applied)
        ranked = self.hybrid.rank(parsed.text or query, k, allowed, applied.where())
        hits = []
        for r in ranked:
            product = self.products.get(r.parent_id)
            # Final exact check: the index's filter is an optimisation, this is the guarantee.
            if product is None or not applied.matches(product):
                continue
            hits.append(SearchHit(product, r.score, r.dense, r.lexical, self._chunk_text.get(r.chunk_id, "")))
        terms = tokenize(parsed.text or query)
        unknown = tuple(self.hybrid.lexical.unknown_terms(parsed.text or query))
        return SearchResult(
            parsed.text,
            tuple(hits),
            applied,
            None if allowed is None else len(allowed),
            unknown,
            len(terms) - len(unknown),
        )

    def similar(self, product_id: str, k: int = 5, constraints: Constraints | None = None) -> list[SearchHit]:
        """Products closest in meaning to one product (alternatives, "more like this")."""
        base = self.products[product_id]
        c = (constraints or Constraints()).merged(Constraints(exclude_ids=(product_id,)))
        allowed = self._columns.allowed(c)
        ranked = self.hybrid.rank(f"{base.title} {base.category_path[-1]}", k, allowed, c.where())
        return [
            SearchHit(self.products[r.parent_id], r.score, r.dense, r.lexical, "")
            for r in ranked
            if r.parent_id in self.products
        ]


class PolicySearch:
    """Finds the policy section that answers a question, for citation."""

    def __init__(self, sections: Iterable[PolicySection], hybrid: HybridIndex):
        self.sections = {s.citation: s for s in sections}
        self.hybrid = hybrid
        self._chunk_text = {c.id: c.text for c in hybrid.chunks}

    def search(self, query: str, k: int = 3) -> list[PolicyHit]:
        return [
            PolicyHit(self.sections[r.parent_id], r.score, self._chunk_text.get(r.chunk_id, ""))
            for r in self.hybrid.rank(query, k)
            if r.parent_id in self.sections
        ]

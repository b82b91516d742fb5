"""The assistant's tools: typed functions over the shop, plus LangChain wrappers for agents.

The deterministic planner calls the functions directly; a tool-calling model calls the same
functions through ``langchain_tools``. Either way the shopper's identity comes from the
``Session`` the conversation was opened with, never from model-written arguments: the
LangChain schemas simply have no user parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from retrieval import (
    Constraints,
    NotFoundError,
    Order,
    PolicyHit,
    Product,
    SearchResult,
    Shop,
    ShopIndex,
)

from ..safety import neutralize


@dataclass(frozen=True)
class Session:
    """Who is talking: set by the app/CLI when the conversation starts."""

    user_id: str  # behaviour-tracking id (customer id when signed in, an anonymous id otherwise)
    customer_id: str | None = None  # set only for a signed-in customer

    @property
    def signed_in(self) -> bool:
        return self.customer_id is not None


@dataclass(frozen=True)
class Sponsored:
    product: Product
    label: str  # "Sponsored by <advertiser>: <headline>", shown as is
    impression_id: str | None = None  # what a click is recorded against


@dataclass(frozen=True)
class ToolResult:
    """What a tool found: the facts an answer may use, and what it must cite."""

    tool: str
    products: tuple[Product, ...] = ()
    sponsored: tuple[Sponsored, ...] = ()
    sections: tuple[PolicyHit, ...] = ()
    orders: tuple[Order, ...] = ()
    constraints: Constraints | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # product id -> why it was recommended
    relaxed: tuple[str, ...] = ()  # constraints dropped to find near alternatives
    departments: tuple[str, ...] = ()  # what the shop sells, when nothing near was found
    note: str = ""  # e.g. "not_found", "not_signed_in", "foreign_order"

    @property
    def citations(self) -> list[str]:
        cites = [f"product:{p.id}" for p in self.products]
        cites += [f"policy:{s.citation}" for s in self.sections]
        cites += [f"order:{o.order_id}" for o in self.orders]
        return cites


def product_json(p: Product) -> dict[str, Any]:
    """A product as tool output: facts only, description stripped of instruction-like text."""
    return {
        "id": p.id,
        "title": p.title,
        "brand": p.brand,
        "category": p.category,
        "price": p.price,
        "currency": p.currency,
        "in_stock": p.stock > 0,
        "stock": p.stock,
        "rating": p.rating,
        "review_count": p.review_count,
        "attributes": p.attributes,
        "description": neutralize(p.description),
    }


class Toolbox:
    """Tool implementations over one shop. Holds no per-conversation state."""

    def __init__(self, shop: Shop, index: ShopIndex, recommender: Any | None = None):
        self.shop = shop
        self.index = index
        self.recommender = recommender

    # -- catalogue -----------------------------------------------------------------------

    def departments(self) -> tuple[str, ...]:
        """The shop's departments (second level of the category tree, else the first), by size."""
        counts: dict[str, int] = {}
        for p in self.shop.products.values():
            path = p.category_path
            if path:
                name = path[1] if len(path) > 1 else path[0]
                counts[name] = counts.get(name, 0) + 1
        return tuple(sorted(counts, key=lambda n: -counts[n]))

    def search_products(
        self, query: str, constraints: Constraints | None = None, k: int = 5, *, extract: bool = True
    ) -> ToolResult:
        """``extract=False``: ``constraints`` are complete (the planner read them, and dropped the
        ones the shopper took back), so the query's words add none."""
        result: SearchResult = self.index.products.search(query, constraints, k * 2, extract=extract)
        if result.hits:
            if _off_catalogue(result):
                # Only alternatives that are at least related; a laptop's "closest" dumbbells are noise.
                related = [h.product for h in result.hits if (h.dense or 0.0) >= RELATED_DENSE]
                return ToolResult(
                    "search_products",
                    tuple(_in_stock_first(related)[:k]),
                    constraints=result.constraints,
                    note="out_of_catalogue",
                    departments=() if related else self.departments(),
                )
            products = _in_stock_first([h.product for h in result.hits])[:k]
            return ToolResult("search_products", tuple(products), constraints=result.constraints)
        # Nothing satisfies every constraint: offer the nearest products, saying what was relaxed.
        # Features go first, the price the shopper named later, the kind of product last.
        for relax in (
            ("attributes",),
            ("brands",),
            ("price",),
            ("categories",),
            ("attributes", "price", "brands", "categories", "min_rating"),
        ):
            loose = result.constraints.without(*relax)
            if loose == result.constraints:
                continue
            near = self.index.products.search(result.query, loose, k * 2, extract=False)
            if near.hits:
                products = _in_stock_first([h.product for h in near.hits])[:k]
                return ToolResult(
                    "search_products",
                    tuple(products),
                    constraints=result.constraints,
                    relaxed=relax,
                    note="no_exact_match",
                )
        return ToolResult("search_products", constraints=result.constraints, note="not_found")

    def product_details(self, product_id: str) -> ToolResult:
        return ToolResult("product_details", (self.shop.product(product_id),))

    def compare_products(self, product_ids: Sequence[str]) -> ToolResult:
        products = tuple(self.shop.product(pid) for pid in dict.fromkeys(product_ids))
        return ToolResult("compare_products", products)

    def similar_products(self, product_id: str, k: int = 3, in_stock: bool = True) -> ToolResult:
        hits = self.index.products.similar(product_id, k, Constraints(in_stock=in_stock))
        return ToolResult("similar_products", tuple(h.product for h in hits))

    # -- recommendations -------------------------------------------------------------------

    def recommend(
        self,
        session: Session,
        *,
        k: int = 4,
        constraints: Constraints | None = None,
        about_product_id: str | None = None,
        hint: str | None = None,
    ) -> ToolResult:
        if self.recommender is None:
            return ToolResult("recommend", note="recommender_unavailable")
        from recsys import RecommendContext

        context = RecommendContext(constraints or Constraints(), about_product_id, hint)
        recs = self.recommender.recommend(session.user_id, k, context)
        organic = tuple(
            self.shop.products[r.product_id] for r in recs.organic if r.product_id in self.shop.products
        )
        sponsored = tuple(
            Sponsored(self.shop.products[r.product_id], r.reason, r.impression_id)
            for r in recs.sponsored
            if r.product_id in self.shop.products
        )
        reasons = {r.product_id: r.reason for r in recs.organic}
        return ToolResult("recommend", organic, sponsored, reasons=reasons)

    # -- orders (identity from the session only) -------------------------------------------

    def order_status(self, session: Session, order_id: str | None = None) -> ToolResult:
        if not session.signed_in:
            return ToolResult("order_status", note="not_signed_in")
        mine = self.shop.orders_of(session.customer_id or "")
        if order_id is None:
            return ToolResult(
                "order_status", tuple(), orders=tuple(mine[:3]), note="" if mine else "no_orders"
            )
        order = self.shop.orders.get(order_id.upper())
        if order is None or order.customer_id != session.customer_id:
            # Same answer for "does not exist" and "someone else's": never confirm another's order.
            return ToolResult("order_status", note="order_not_found")
        return ToolResult("order_status", orders=(order,))

    # -- policies ---------------------------------------------------------------------------

    def policy_lookup(self, question: str, k: int = 2) -> ToolResult:
        hits = tuple(self.index.policies.search(question, k))
        return ToolResult("policy_lookup", sections=hits, note="" if hits else "not_found")


def _in_stock_first(products: list[Product]) -> list[Product]:
    """Keep relevance order, but a shopper who did not ask about stock still sees what they can buy first."""
    return [p for p in products if p.stock > 0] + [p for p in products if p.stock <= 0]


# Below these, the best match shares no words with the query and is only vaguely similar in
# meaning: the shop does not carry what was asked for (measured on the demo shop, MiniLM).
OFF_CATALOGUE_DENSE = 0.30
OFF_CATALOGUE_UNKNOWN_DENSE = 0.50
# An alternative offered for something we do not carry must be at least this close in meaning
# (demo shop, MiniLM: "laptops" -> resistance bands 0.25, "perfume" -> lipstick 0.38).
RELATED_DENSE = 0.30


def _off_catalogue(result: SearchResult) -> bool:
    """The shop does not sell what was asked for: the best match is only vaguely similar and the
    query's words are mostly ones the catalogue never uses ("gaming laptop", "mountain bike")."""
    if result.candidates is not None:  # the shopper's filters matched real products
        return False
    best = result.hits[0]
    if (best.lexical or 0.0) == 0.0 and (best.dense or 0.0) < OFF_CATALOGUE_DENSE:
        return True
    return result.unknown_share >= 0.5 and (best.dense or 0.0) < OFF_CATALOGUE_UNKNOWN_DENSE


def result_json(result: ToolResult) -> str:
    """A tool result as the JSON text a tool-calling model reads (data, clearly not instructions)."""
    payload: dict[str, Any] = {"tool": result.tool, "note": result.note}
    if result.products:
        payload["products"] = [
            product_json(p) | ({"reason": result.reasons[p.id]} if p.id in result.reasons else {})
            for p in result.products
        ]
    if result.sponsored:
        payload["sponsored"] = [{"label": s.label, **product_json(s.product)} for s in result.sponsored]
    if result.sections:
        payload["policy_sections"] = [
            {"citation": h.citation, "heading": h.section.heading, "text": neutralize(h.section.text)}
            for h in result.sections
        ]
    if result.orders:
        payload["orders"] = [o.model_dump(mode="json") for o in result.orders]
    if result.relaxed:
        payload["relaxed_constraints"] = list(result.relaxed)
    return json.dumps(payload, ensure_ascii=False)


def langchain_tools(toolbox: Toolbox, session: Session, sink: list[ToolResult] | None = None) -> list:
    """The tools as LangChain ``StructuredTool``s bound to one session.

    ``sink`` collects every ToolResult so the engine can validate and cite what the agent used.
    """
    from langchain_core.tools import StructuredTool

    def record(result: ToolResult) -> str:
        if sink is not None:
            sink.append(result)
        return result_json(result)

    def search_products(
        query: str,
        max_price: float | None = None,
        min_price: float | None = None,
        brand: str | None = None,
        category: str | None = None,
        in_stock_only: bool = False,
        k: int = 5,
    ) -> str:
        """Search the shop's catalogue. Constraints are hard filters."""
        c = Constraints(
            price_min=min_price,
            price_max=max_price,
            brands=(brand,) if brand else (),
            categories=(category,) if category else (),
            in_stock=in_stock_only,
        )
        return record(toolbox.search_products(query, c, max(1, min(k, 10))))

    def product_details(product_id: str) -> str:
        """Full facts about one product by id."""
        try:
            return record(toolbox.product_details(product_id))
        except NotFoundError as exc:
            return json.dumps({"error": str(exc)})

    def compare_products(product_ids: list[str]) -> str:
        """Side-by-side facts for two to four products by id."""
        try:
            return record(toolbox.compare_products(product_ids[:4]))
        except NotFoundError as exc:
            return json.dumps({"error": str(exc)})

    def recommend(
        category: str | None = None,
        max_price: float | None = None,
        about_product_id: str | None = None,
        k: int = 4,
    ) -> str:
        """Personal recommendations for the current shopper; sponsored items are listed separately."""
        c = Constraints(price_max=max_price, categories=(category,) if category else (), in_stock=True)
        about = about_product_id if about_product_id in toolbox.shop.products else None
        return record(toolbox.recommend(session, k=max(1, min(k, 8)), constraints=c, about_product_id=about))

    def order_status(order_id: str | None = None) -> str:
        """Status and tracking of the signed-in shopper's own orders (latest if no id)."""
        return record(toolbox.order_status(session, order_id))

    def policy_lookup(question: str) -> str:
        """Find the shop policy section (shipping, returns, warranty, payments...) that answers a question."""
        return record(toolbox.policy_lookup(question))

    def hand_off_to_human(reason: str) -> str:
        """Transfer the conversation to a human agent."""
        result = ToolResult("hand_off_to_human", note=f"handoff:{reason[:200]}")
        return record(result)

    fns = [
        search_products,
        product_details,
        compare_products,
        recommend,
        order_status,
        policy_lookup,
        hand_off_to_human,
    ]
    return [StructuredTool.from_function(fn) for fn in fns]  # type: ignore[arg-type]  # nested defs

"""The ``recommend`` tool for the assistant's LangChain agent.

Design decisions:

* The arguments are only what a model may choose: a category, a price range, how many, the
  product under discussion and the shopper's own words. Who the shopper is comes from the
  conversation (``get_user_id``, bound when the tool is built per conversation), never from the
  model: a prompt-injected "user_id" in the call is dropped by the schema, so a model cannot
  read another shopper's recommendations or burn their ad frequency caps.
* The result is plain JSON with organic and sponsored results in separate lists, each with
  title, price and the reason, so the model can phrase them and the UI can render them
  without re-parsing text; sponsored items carry ``sponsored: true`` and the impression id.
* Caller errors (an unknown product id) come back as ``{"error": ...}`` for the model to
  recover from; anything else is a bug and raises.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, ConfigDict, Field

from retrieval import Constraints, InputError

from ._engine import RecommendationEngine
from ._recommend import Recommendation, RecommendContext

DESCRIPTION = (
    "Recommend products for the current shopper from their behaviour, optionally narrowed to a "
    "category or price range, or similar to a product being discussed. Returns organic results "
    "and, separately, sponsored results that must be presented as sponsored."
)


class RecommendArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")  # anything else the model writes is dropped

    category: str | None = Field(None, description="Category name, e.g. 'Trail Running Shoes'")
    min_price: float | None = Field(None, ge=0, description="Lowest price in the shop's currency")
    max_price: float | None = Field(None, ge=0, description="Highest price in the shop's currency")
    k: int = Field(5, ge=1, le=10, description="How many products to return")
    about_product_id: str | None = Field(
        None, description="Id of the product being discussed, for similar items"
    )
    query: str | None = Field(None, max_length=300, description="What the shopper asked for, in their words")


def make_recommend_tool(
    engine: RecommendationEngine, get_user_id: Callable[[], str | None], *, sponsored_slots: int | None = None
) -> StructuredTool:
    """A ``recommend`` tool bound to one conversation's shopper."""

    def _item(r: Recommendation) -> dict:
        p = engine.shop.products[r.product_id]
        out = {
            "product_id": r.product_id,
            "title": p.title,
            "price": p.price,
            "currency": p.currency,
            "reason": r.reason,
            "source": r.source,
            "sponsored": r.sponsored,
        }
        if r.impression_id:
            out["impression_id"] = r.impression_id
        return out

    def recommend(
        category: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        k: int = 5,
        about_product_id: str | None = None,
        query: str | None = None,
    ) -> dict:
        constraints = Constraints(
            price_min=min_price, price_max=max_price, categories=(category,) if category else ()
        )
        context = RecommendContext(constraints, about_product_id or None, query or None)
        try:
            recs = engine.recommend(get_user_id(), k, context, sponsored=sponsored_slots)
        except InputError as exc:
            return {"error": str(exc)}
        return {"organic": [_item(r) for r in recs.organic], "sponsored": [_item(r) for r in recs.sponsored]}

    return StructuredTool.from_function(
        func=recommend, name="recommend", description=DESCRIPTION, args_schema=RecommendArgs
    )

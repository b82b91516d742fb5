"""The shop model: typed, validated records for everything in a shop directory.

Records are frozen pydantic models with ``extra="allow"``: unknown fields a merchant adds are
kept (and round-trip), never rejected. Field constraints carry the validation so the loader
can report exactly which field of which line is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ._display import Display
from ._errors import NotFoundError, RecordError
from ._text import plain_text

AttributeValue = StrictBool | int | float | str | list[str | int | float]

# What shoppers do: the one definition every layer uses. Item events are about one product,
# from the weakest to the strongest sign of intent (the order is the funnel, and recsys's event
# codes); text events carry what the shopper typed instead of a product. A shop's events.csv
# holds item events only; the live API and the recommender take both.
ItemEventType = Literal["view", "click", "favorite", "add_to_cart", "purchase"]
TextEventType = Literal["search", "chat"]
EventType = Literal[ItemEventType, TextEventType]
ITEM_EVENTS: tuple[str, ...] = get_args(ItemEventType)
TEXT_EVENTS: tuple[str, ...] = get_args(TextEventType)
EVENT_TYPES: tuple[str, ...] = ITEM_EVENTS + TEXT_EVENTS
# A shopper id (a customer id, or the shop's own id for an anonymous shopper) is at most this
# many characters: the API checks it and the SQL columns that hold one are this wide (their
# migrations create them from this constant, so changing it needs a new migration).
MAX_USER_ID = 120
OrderStatus = Literal["processing", "shipped", "delivered", "cancelled", "returned"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


class Product(_Record):
    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=500)
    brand: str = ""
    category: str = Field(min_length=1)
    price: float = Field(ge=0, allow_inf_nan=False)
    currency: str = "USD"
    stock: int = Field(ge=0)
    rating: float | None = Field(default=None, ge=0, le=5)
    review_count: int = Field(default=0, ge=0)
    description: str = ""
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)

    @field_validator("price", "rating", mode="before")
    @classmethod
    def _no_bools(cls, v: object) -> object:
        # JSON true/false would silently become 1.0/0.0 prices.
        if isinstance(v, bool):
            raise ValueError("must be a number, not a boolean")
        return v

    @property
    def category_path(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.category.split(">") if part.strip())

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def attribute_values(self, name: str) -> list[str | int | float | bool]:
        """The attribute's values as a list (scalars become one-element lists)."""
        value = self.attributes.get(name)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]


class OrderItem(_Record):
    product_id: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    unit_price: float = Field(ge=0, allow_inf_nan=False)


class Order(_Record):
    order_id: str = Field(min_length=1)
    customer_id: str = Field(min_length=1)
    status: OrderStatus
    placed_at: str = Field(min_length=1)
    items: list[OrderItem] = Field(min_length=1)
    carrier: str | None = None
    tracking_number: str | None = None
    eta: str | None = None

    @property
    def total(self) -> float:
        return round(sum(i.quantity * i.unit_price for i in self.items), 2)


class Customer(_Record):
    customer_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str = ""
    tier: str = "standard"
    joined_at: str = ""


class Ad(_Record):
    ad_id: str = Field(min_length=1)
    advertiser: str = Field(min_length=1)
    product_id: str = Field(min_length=1)
    headline: str = Field(min_length=1)
    text: str = ""
    bid_cpc: float = Field(gt=0, allow_inf_nan=False)
    daily_budget: float = Field(gt=0, allow_inf_nan=False)
    start: str = Field(min_length=1)
    end: str = Field(min_length=1)


class ShopEvent(_Record):
    user_id: str = Field(min_length=1)
    item_id: str = Field(min_length=1)
    event: ItemEventType
    timestamp: int = Field(ge=0)


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "section"


@dataclass(frozen=True)
class PolicySection:
    """One citable unit: a ``## `` section of a policy markdown file."""

    policy: str  # file stem, e.g. "returns"
    policy_title: str  # the file's "# " title, or the stem
    heading: str
    text: str
    file: str = ""
    line: int = 0

    @property
    def plain(self) -> str:
        """The section as plain sentences (tables flattened), for embedding, quoting and checking."""
        return plain_text(self.text)

    @property
    def citation(self) -> str:
        """Stable citation id, e.g. ``returns#opened-items``."""
        return f"{self.policy}#{slugify(self.heading)}"


@dataclass
class Shop:
    """Everything loaded from one shop directory, plus what could not be loaded."""

    root: str
    products: dict[str, Product] = field(default_factory=dict)
    policies: list[PolicySection] = field(default_factory=list)
    orders: dict[str, Order] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    ads: dict[str, Ad] = field(default_factory=dict)
    events: list[ShopEvent] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    display: Display = field(default_factory=Display)  # display.yaml: how attributes read

    @property
    def name(self) -> str:
        return Path(self.root).name

    def product(self, product_id: str) -> Product:
        try:
            return self.products[product_id]
        except KeyError:
            raise NotFoundError(f"Unknown product id {product_id!r}") from None

    def orders_of(self, customer_id: str) -> list[Order]:
        return sorted(
            (o for o in self.orders.values() if o.customer_id == customer_id),
            key=lambda o: o.placed_at,
            reverse=True,
        )

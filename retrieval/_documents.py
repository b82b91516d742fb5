"""Turn shop records into indexable chunks, with the metadata hard filters run on.

The content hash of each parent (product or policy section) covers its record, the chunking
version and the embedder name: a change to any of them re-embeds that parent and nothing else.
"""

from __future__ import annotations

import hashlib
import json

from ._hybrid import Chunk
from ._index import Metadata
from ._model import PolicySection, Product
from ._text import chunk_text

CHUNKING_VERSION = "3"


def content_hash(payload: object, embedder_name: str) -> str:
    blob = json.dumps([CHUNKING_VERSION, embedder_name, payload], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _attr_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def product_summary(p: Product) -> str:
    """The product's head text: what it is, who makes it, what shoppers filter on."""
    attrs = "; ".join(f"{k.replace('_', ' ')}: {_attr_text(v)}" for k, v in p.attributes.items())
    parts = [
        p.title,
        f"{p.brand} {p.category_path[-1] if p.category_path else ''}".strip(),
        f"Category: {p.category}",
    ]
    if attrs:
        parts.append(attrs)
    if p.tags:
        parts.append("Tags: " + ", ".join(p.tags))
    return ". ".join(parts)


def product_metadata(p: Product) -> Metadata:
    """Scalar fields Chroma can filter on (it stores no lists or nulls)."""
    path = [c.lower() for c in p.category_path]
    meta: Metadata = {
        "parent_id": p.id,
        "kind": "product",
        "price": float(p.price),
        "stock": int(p.stock),
        "in_stock": p.stock > 0,
        "brand": p.brand.lower(),
        "category": " > ".join(path),
        "rating": float(p.rating) if p.rating is not None else -1.0,
    }
    for level, name in enumerate(path[:4]):
        meta[f"cat{level}"] = name
    for key, value in p.attributes.items():
        if isinstance(value, bool | int | float):
            meta[f"a_{key}"] = value
        elif isinstance(value, str):
            meta[f"a_{key}"] = value.lower()
    return meta


def product_chunks(p: Product, embedder_name: str) -> list[Chunk]:
    digest = content_hash(p.model_dump(mode="json"), embedder_name)
    meta = {**product_metadata(p), "hash": digest}
    texts = [product_summary(p)]
    texts += [f"{p.title}: {window}" for window in chunk_text(p.description)]
    return [Chunk(f"{p.id}::{i}", p.id, text, meta) for i, text in enumerate(texts)]


def policy_chunks(section: PolicySection, embedder_name: str) -> list[Chunk]:
    cite = section.citation
    digest = content_hash([section.policy_title, section.heading, section.text], embedder_name)
    meta: Metadata = {
        "parent_id": cite,
        "kind": "policy",
        "policy": section.policy,
        "heading": section.heading,
        "hash": digest,
    }
    windows = chunk_text(section.plain.replace("\n", " ")) or [section.plain]
    head = f"{section.policy_title} - {section.heading}"
    return [Chunk(f"{cite}::{i}", cite, f"{head}: {w}", meta) for i, w in enumerate(windows)]

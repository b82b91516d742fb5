"""Tuning and evaluation data for the writer: shopper questions over a shop's own records.

Design decisions:

* **The answers are never written here.** Each example picks a shop, a kind and products,
  asks a question in a shopper's words, and hands both to the ``bot.assistant`` writer
  builders; the builder's deterministic answer is the target. Training and serving therefore
  see one format, and a change to a builder changes the data with it.
* **Attribute names come from the records**, through each shop's ``Display``, so the model
  sees many naming schemes (``weight_g`` as "weight 320 g", tau2's "screen size") and learns to
  copy values, not to memorise one shop. Shops with different attributes are mixed: the demo
  shop, and optionally tau2-bench's retail products converted on the fly (``tau2_shop``).
* **Questions are varied the way shoppers type**: plain, chat spelling ("whats ur cheapest"),
  a typo, lower case, no question mark, two questions in one, yes/no with both answers.
* **Kinds are balanced** by fixed weights (``KIND_WEIGHTS``), so a kind that is easy to generate
  cannot crowd out the others; everything is drawn from one seeded ``random.Random``.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from retrieval import Display, Product, Shop, join_words, sentences, tokenize, words

from ..assistant import (
    Kind,
    Ranked,
    WriterTask,
    attribute_task,
    compare_task,
    evidence_task,
    not_stated_task,
    order_task,
    overview_task,
    policy_task,
    search_task,
    superlative_task,
)
from ._prompts import load_prompt

KIND_WEIGHTS: dict[Kind, int] = {
    "attribute": 2,  # one field, two fields, yes/no, "does it come in blue?"
    "superlative": 1,
    "evidence": 1,
    "not_stated": 1,
    "policy": 1,
    "search": 1,
    "compare": 1,
    "overview": 1,
    "order": 1,  # "where's my order?": the status line, from the shop's orders (shops that have them)
}
# Topics a product record may not mention; used only when the record really does not.
_OFF_RECORD = (
    "warranty", "country of origin", "battery life", "care instructions", "assembly",
    "recycled materials", "gift wrapping", "dishwasher safe", "replacement parts", "certifications",
)  # fmt: skip
_CHAT = ((r"\bwhat is\b", "whats"), (r"\bwhat's\b", "whats"), (r"\byour\b", "ur"), (r"\byou\b", "u"),
         (r"\bare\b", "r"), (r"\bplease\b", "pls"), (r"\bthe\b ", ""))  # fmt: skip
_COLOUR_KEYS = frozenset({"color", "colors", "colour", "colours"})


@dataclass(frozen=True)
class WriterSample:
    """A task and the records it is about (the validator needs them), from one shop."""

    task: WriterTask
    products: tuple[Product, ...]
    shop: str


# ----------------------------------------------------------------------------- shops


def tau2_shop(db_path: str | Path) -> Shop:
    """tau2-bench retail products as a shop: one product per variant, its options as attributes.

    The records have no descriptions; one is written from the options. Prices are the
    variant's; an unavailable variant is out of stock.
    """
    data = json.loads(Path(db_path).read_text(encoding="utf-8"))
    shop = Shop(root=str(Path(db_path).parent))
    display = Display()
    for product in data["products"].values():
        name = product["name"]
        for item_id, variant in product["variants"].items():
            options = {str(k): v for k, v in variant["options"].items()}
            facts = [display.fact(k, v) for k, v in options.items()]
            shop.products[item_id] = Product(
                id=item_id,
                title=f"{name} ({', '.join(str(v) for v in options.values())})",
                category=name,
                price=float(variant["price"]),
                stock=(int(item_id) % 29 + 1) if variant.get("available") else 0,
                description=f"This {name.lower()} has {join_words(facts)}.",
                attributes=options,
            )
    return shop


def training_shops(shop_dirs: Sequence[str | Path], tau2: str | Path | None) -> tuple[list[Shop], list[str]]:
    """The shops to draw from, and notes on what was skipped (a missing tau2 file is not an error)."""
    from retrieval import load_shop

    shops = [load_shop(d, with_events=False) for d in shop_dirs]
    notes: list[str] = []
    if tau2 is not None:
        if Path(tau2).is_file():
            shops.append(tau2_shop(tau2))
        else:
            notes.append(f"skipped tau2 products: {tau2} not found (tuning on the other shops only)")
    return shops, notes


# ----------------------------------------------------------------------------- shopper words


def _ref(p: Product, rng: random.Random, *, pronoun: bool = True) -> str:
    """How a shopper names the product: "it", "the cascade xt", or its full title."""
    roll = rng.random()
    if pronoun and roll < 0.4:
        return rng.choice(("it", "it", "this one", "this"))
    base = p.title.split(" (")[0]
    if roll < 0.6:
        return "the " + base
    return "the " + " ".join(base.split()[: rng.choice((1, 2, 2, 3))]).lower()


def _typo(text: str, rng: random.Random) -> str:
    spots = [m for m in re.finditer(r"[a-z]{5,}", text)]
    if not spots:
        return text
    m = rng.choice(spots)
    word, i = m.group(), rng.randrange(1, len(m.group()) - 1)
    wrong = (
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else word[:i] + word[i + 1 :]
    )
    return text[: m.start()] + wrong + text[m.end() :]


# Small talk around a question, as chat messages carry it: the answer must not change.
_OPENERS = (
    "hi",
    "hey,",
    "hello!",
    "quick question:",
    "ok so",
    "hmm",
    "sorry,",
    "one more thing -",
    "also",
    "and",
)
_CLOSERS = (
    "thanks", "thx", "pls", "thank you!", "need to know before i order", "asking for a friend",
    "its a gift", "just checking", "cheers", "before i buy", "that matters to me",
)  # fmt: skip


def shopper_words(question: str, rng: random.Random) -> str:
    """The question as shoppers type it: chat spelling, a typo, case and punctuation varied,
    small talk before or after it."""
    q = question
    roll = rng.random()
    if roll < 0.15:
        q = f"{rng.choice(_OPENERS)} {q[:1].lower()}{q[1:]}"
    elif roll < 0.3:
        q = f"{q}{rng.choice(('', '?', ',', ' -'))} {rng.choice(_CLOSERS)}"
    if rng.random() < 0.25:
        for pattern, repl in _CHAT:
            q = re.sub(pattern, repl, q, flags=re.I)
        q = re.sub(r"\s+", " ", q).strip()
    if rng.random() < 0.15:
        q = _typo(q, rng)
    if rng.random() < 0.3:
        q = q.rstrip("?")
    return q[:1].upper() + q[1:] if rng.random() < 0.35 else q.lower()


def _content_phrase(sentence: str, rng: random.Random, avoid: set[str]) -> str | None:
    """A run of 1-3 content words from ``sentence`` ("welded toe cap"): what a question asks about."""
    ws = words(sentence)
    good = [bool(re.fullmatch(r"[a-z][a-z-]{3,}", w)) and bool(tokenize(w)) and w not in avoid for w in ws]
    runs: list[list[str]] = []
    run: list[str] = []
    for w, ok in zip(ws, good, strict=True):
        if ok:
            run.append(w)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    if not runs:
        return None
    chosen = rng.choice(runs)
    start = rng.randrange(max(1, len(chosen) - 2))
    return " ".join(chosen[start : start + 3])


# ----------------------------------------------------------------------------- field questions


def _field_clause(p: Product, key: str, display: Display, ref: str, rng: random.Random) -> str:
    """A question about one field, without the question mark: "how much does it weigh"."""
    pick = rng.choice
    if key == "price":
        return pick((f"how much is {ref}", f"what does {ref} cost", f"price of {ref}", f"how much for {ref}"))
    if key == "stock":
        return pick((f"is {ref} in stock", f"do you have {ref} in stock", f"can i get {ref} now"))
    if key == "rating":
        return pick(
            (f"how is {ref} rated", f"what are the reviews like for {ref}", f"is {ref} well reviewed")
        )
    value = p.attributes[key]
    label = display.label(key)
    if isinstance(value, bool):
        yes = display.phrase(key, True)
        if yes.startswith("has "):
            return f"does {ref} have {yes[4:]}"
        return pick((f"is {ref} {yes}", f"is {ref} {yes} or not"))
    if key.lower() in _COLOUR_KEYS:
        return pick(
            (f"what colours does {ref} come in", f"which colors is {ref} available in", f"{ref} colours")
        )
    dimension = display.dimension(key)
    if dimension == "mass" and label == "weight":
        return pick((f"how much does {ref} weigh", f"how heavy is {ref}", f"what does {ref} weigh"))
    if dimension == "volume":
        return pick((f"how big is {ref}", f"what's the {label} of {ref}", f"how much does {ref} hold"))
    if isinstance(value, list):
        return pick((f"what {label} does {ref} come in", f"which {label} are there for {ref}"))
    return pick(
        (f"what's the {label} of {ref}", f"what {label} is {ref}", f"{ref} {label}", f"tell me the {label}")
    )


def _fields(p: Product, display: Display) -> list[str]:
    keys = [
        k
        for k, v in p.attributes.items()
        if not display.hidden(k) and not (isinstance(v, list) and len(v) > 8)
    ]
    return keys + ["price", "stock"] + (["rating"] if p.rating is not None else [])


# ----------------------------------------------------------------------------- kinds


def _attribute(shop: Shop, rng: random.Random) -> WriterSample:
    d = shop.display
    p = rng.choice(list(shop.products.values()))
    colour_key = next((k for k in p.attributes if k.lower() in _COLOUR_KEYS), None)
    mode = rng.choice(("one", "one", "two", "colour" if colour_key else "one"))
    ref = _ref(p, rng)
    if mode == "colour" and colour_key:
        listed = [str(v) for v in p.attribute_values(colour_key)]
        others = sorted({str(v) for q in shop.products.values() for v in q.attribute_values(colour_key)})
        absent = [c for c in others if not any(c.lower() in x.lower() for x in listed)]
        asked = rng.choice(absent) if absent and rng.random() < 0.5 else rng.choice(listed)
        question = rng.choice(
            (
                f"does {ref} come in {asked}?",
                f"is {ref} available in {asked}?",
                f"do you have {ref} in {asked}?",
            )
        )
        task = attribute_task(
            p, [colour_key], d, shopper_words(question, rng), asked_value=(asked, (colour_key,))
        )
        return WriterSample(task, (p,), shop.name)
    keys = rng.sample(_fields(p, d), k=min(2 if mode == "two" else 1, len(_fields(p, d))))
    clauses = [_field_clause(p, k, d, ref if i == 0 else "it", rng) for i, k in enumerate(keys)]
    question = " and ".join(clauses) + "?"
    return WriterSample(attribute_task(p, keys, d, shopper_words(question, rng)), (p,), shop.name)


def _by_category(shop: Shop, size: int) -> list[list[Product]]:
    groups: dict[str, list[Product]] = defaultdict(list)
    for p in shop.products.values():
        groups[p.category].append(p)
    return [g for _, g in sorted(groups.items()) if len(g) >= size]


def _category_words(p: Product) -> str:
    """The product's leaf category as a plural: "running shoes", "bookshelves", "t-shirts"."""
    leaf = (p.category_path[-1] if p.category_path else p.category).lower()
    if leaf.endswith("s"):
        return leaf
    if leaf.endswith(("sh", "ch", "x")):
        return leaf + "es"
    if leaf.endswith("f"):
        return leaf[:-1] + "ves"
    if leaf.endswith("y") and leaf[-2:-1] not in "aeiou":
        return leaf[:-1] + "ies"
    return leaf + "s"


_ORDER_WORDS = {"price": ("cheapest", "most expensive"), "mass": ("lightest", "heaviest"), "volume": ("smallest", "largest")}  # fmt: skip


def _superlative(shop: Shop, rng: random.Random) -> WriterSample | None:
    d = shop.display
    group = rng.choice(_by_category(shop, 3))
    chosen = rng.sample(group, k=min(len(group), rng.randint(3, 6)))
    numeric = sorted(
        {k for p in chosen for k, v in p.attributes.items() if d.quantity(k, v) and not d.hidden(k)}
    )
    key = rng.choice(["price", "price", *numeric])
    if key == "price":
        rows = [(p.price, p, f"${p.price:,.2f}") for p in chosen]
        label, words_ = "price", _ORDER_WORDS["price"]
    else:
        rows = [
            (q[1], p, d.value(key, p.attributes[key]))
            for p in chosen
            if (q := d.quantity(key, p.attributes.get(key)))
        ]
        label = d.label(key)
        words_ = _ORDER_WORDS.get(d.dimension(key) or "", (f"lowest {label}", f"highest {label}"))
    if len(rows) < 3:
        return None
    descending = rng.random() < 0.5
    rows.sort(key=lambda r: (-r[0] if descending else r[0], r[1].title))
    if rows[0][0] == rows[1][0]:
        return None  # a tie has no single answer
    word = words_[1] if descending else words_[0]
    cat = _category_words(chosen[0])
    scope = rng.choice((f"of the {len(rows)} shown", f"of the {len(rows)} {cat}"))
    question = rng.choice(
        (f"which is the {word}?", f"whats your {word} one", f"which one is {word}?", f"{word} {cat}?",
         f"which of these has the {'highest' if descending else 'lowest'} {label}?")
    )  # fmt: skip
    ranked = [Ranked(p, shown) for _, p, shown in rows]
    task = superlative_task(ranked, word, scope, label, shopper_words(question, rng))
    return WriterSample(task, tuple(p for _, p, _ in rows), shop.name)


def _compare(shop: Shop, rng: random.Random) -> WriterSample | None:
    d = shop.display
    a, b = rng.sample(rng.choice(_by_category(shop, 2)), k=2)
    shared = [
        k
        for k in a.attributes
        if k in b.attributes and not d.hidden(k) and len(d.value(k, a.attributes[k])) < 40
    ]
    keys = rng.sample(shared, k=min(len(shared), rng.choice((1, 2)))) + (
        ["price"] if rng.random() < 0.4 else []
    )
    if not keys:
        return None
    ra, rb = _ref(a, rng, pronoun=False), _ref(b, rng, pronoun=False)
    if ra[4:].lower() in b.title.lower() or rb[4:].lower() in a.title.lower():
        ra, rb = "the " + a.title, "the " + b.title  # a short name that fits both is no name
    topic = join_words([d.label(k) if k != "price" else "price" for k in keys])
    question = rng.choice(
        (f"compare {ra} and {rb}", f"{ra} vs {rb}?", f"how do {ra} and {rb} compare on {topic}?",
         f"whats the difference in {topic} between {ra} and {rb}?", f"{topic} of {ra} and {rb}?")
    )  # fmt: skip
    return WriterSample(compare_task([a, b], keys, d, shopper_words(question, rng)), (a, b), shop.name)


def _evidence(shop: Shop, rng: random.Random) -> WriterSample | None:
    described = [p for p in shop.products.values() if len(sentences(p.description)) >= 2]
    if not described:
        return None
    p = rng.choice(described)
    said = sentences(p.description)
    topic = _content_phrase(rng.choice(said), rng, set(words(p.title)))
    if topic is None:
        return None
    ref = _ref(p, rng)
    question = rng.choice(
        (f"tell me about the {topic}", f"what about the {topic}?", f"does {ref} say anything about {topic}?",
         f"how is the {topic} on {ref}?", f"anything on {topic}?", f"what does it say about {topic}")
    )  # fmt: skip
    # The evidence is whatever the description says closest to what was asked: word overlap.
    asked = set(tokenize(topic))
    overlap = [len(asked & set(tokenize(s))) for s in said]
    ranked = sorted(range(len(said)), key=lambda i: -overlap[i])
    keep = sorted(ranked[: 2 if rng.random() < 0.3 and overlap[ranked[1]] > 0 else 1])
    task = evidence_task(p, [said[i] for i in keep], shopper_words(question, rng))
    return WriterSample(task, (p,), shop.name)


def _not_stated(shop: Shop, rng: random.Random) -> WriterSample | None:
    d = shop.display
    p = rng.choice(list(shop.products.values()))
    known = set(
        tokenize(f"{p.title} {p.description} {' '.join(d.fact(k, v) for k, v in p.attributes.items())}")
    )
    labels = sorted(
        {d.label(k) for q in shop.products.values() for k in q.attributes if k not in p.attributes}
    )
    topics = [t for t in labels + list(_OFF_RECORD) if not set(tokenize(t)) & known]
    if not topics:
        return None
    topic, ref = rng.choice(topics), _ref(p, rng)
    question = rng.choice(
        (f"what's the {topic} of {ref}?", f"does {ref} say anything about {topic}?", f"{topic}?",
         f"what about {topic} on {ref}", f"is there info on the {topic}?")
    )  # fmt: skip
    return WriterSample(not_stated_task(p, topic, shopper_words(question, rng)), (p,), shop.name)


def _policy(shop: Shop, rng: random.Random) -> WriterSample | None:
    if not shop.policies:
        return None
    section = rng.choice(shop.policies)
    said = [s for s in sentences(section.plain.replace("\n", " ")) if len(words(s)) >= 4]
    if not said:
        return None
    i = rng.randrange(len(said))
    topic = _content_phrase(said[i], rng, set()) or section.heading.lower()
    question = rng.choice(
        (f"what about {topic}?", f"how does {topic} work?", f"tell me about {topic}",
         f"question about {section.heading.lower()}: {topic}?", f"whats the policy on {topic}")
    )  # fmt: skip
    rest = [s for j, s in enumerate(said) if j != i][: rng.choice((0, 1, 2))]
    return WriterSample(policy_task([said[i], *rest], shopper_words(question, rng)), (), shop.name)


def _search(shop: Shop, rng: random.Random) -> WriterSample | None:
    d = shop.display
    group = rng.choice(_by_category(shop, 2))
    cat = _category_words(group[0])
    flags = sorted({k for p in group for k, v in p.attributes.items() if v is True and not d.hidden(k)})
    key = rng.choice(flags) if flags and rng.random() < 0.6 else None
    fit = [p for p in group if key is None or p.attributes.get(key) is True]
    rng.shuffle(fit)
    fit = fit[: rng.choice((2, 3))]
    bound = None
    if rng.random() < 0.5 or key is None:
        bound = int(max(p.price for p in fit) // 10 + 1) * 10
    reasons = {p.id: [d.phrase(key, True)] if key else [] for p in fit}
    for p in fit:
        reasons[p.id] += [f"under ${bound}"] if bound else []
    want = d.phrase(key, True) if key else ""
    want = f"with {want[4:]}" if want.startswith("has ") else want
    price = f" under ${bound}" if bound else ""
    question = rng.choice(
        (f"do you have {want} {cat}{price}?", f"looking for {want} {cat}{price}", f"any {want} {cat}{price}?",
         f"i need {cat} that are {want}{price}" if want and not want.startswith("with") else f"show me {cat}{price}")
    )  # fmt: skip
    question = re.sub(r"\s+", " ", question)
    return WriterSample(search_task(fit, reasons, shopper_words(question, rng)), tuple(fit), shop.name)


def _overview(shop: Shop, rng: random.Random) -> WriterSample | None:
    # Departments with the kinds of product in them; a shop without a category tree has none.
    kinds: dict[str, list[str]] = defaultdict(list)
    for p in shop.products.values():
        path = p.category_path
        if len(path) < 2:
            continue
        name, example = (path[1] if len(path) > 2 else path[0]), path[-1].lower()
        if example not in kinds[name] and example != name.lower():
            kinds[name].append(example)
    names = sorted(n for n in kinds if kinds[n])
    if len(names) < 2:
        return None
    chosen = sorted(rng.sample(names, k=min(len(names), rng.randint(2, 5))), key=names.index)
    departments = [(n, rng.sample(kinds[n], k=min(2, len(kinds[n])))) for n in chosen]
    question = rng.choice(
        ("what do you sell?", "what kind of stuff do you have", "what products do you carry?",
         "whats in the shop", "what can i buy here?")
    )  # fmt: skip
    task = overview_task(departments, shop.name, shopper_words(question, rng))
    return WriterSample(task, (), shop.name)


def _order(shop: Shop, rng: random.Random) -> WriterSample | None:
    if not shop.orders:
        return None
    order = rng.choice(sorted(shop.orders.values(), key=lambda o: o.order_id))
    products = [shop.products[i.product_id] for i in order.items if i.product_id in shop.products]
    if not products:
        return None
    kind = (
        (products[0].category_path[-1] if products[0].category_path else products[0].title)
        .lower()
        .rstrip("s")
    )
    question = rng.choice(
        (f"where is my order {order.order_id}?", f"wheres my {kind}", f"has my {kind} shipped yet?",
         f"status of order {order.order_id}", "did my order arrive?", f"when will my {kind} get here",
         "whats happening with my order", f"any news on {order.order_id.lower()}?", "where's my stuff")
    )  # fmt: skip
    task = order_task(order, [p.title for p in products], shopper_words(question, rng))
    return WriterSample(task, tuple(products), shop.name)


_MAKERS: dict[Kind, Callable[[Shop, random.Random], WriterSample | None]] = {
    "attribute": _attribute,
    "superlative": _superlative,
    "evidence": _evidence,
    "not_stated": _not_stated,
    "policy": _policy,
    "search": _search,
    "compare": _compare,
    "overview": _overview,
    "order": _order,
}


def _kind_plan(n: int, rng: random.Random) -> list[Kind]:
    """``n`` kinds in proportion to ``KIND_WEIGHTS`` (largest remainder), shuffled."""
    total = sum(KIND_WEIGHTS.values())
    exact = {k: n * w / total for k, w in KIND_WEIGHTS.items()}
    counts = {k: int(x) for k, x in exact.items()}
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[: n - sum(counts.values())]:
        counts[k] += 1
    plan = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(plan)
    return plan


def writer_samples(shops: Sequence[Shop], n: int, seed: int) -> list[WriterSample]:
    """``n`` writer tasks with their products, kinds balanced, drawn from ``shops``; same seed, same list."""
    if not shops:
        raise ValueError("writer_samples needs at least one shop")
    rng = random.Random(seed)
    out: list[WriterSample] = []
    for kind in _kind_plan(n, rng):
        for _ in range(50):  # a draw can miss (a tie, a record without the field); draw again
            shop = rng.choice(list(shops))
            if not shop.products:
                continue
            sample = _MAKERS[kind](shop, rng)
            if sample is not None and sample.task.kind == kind and sample.task.answer:
                out.append(sample)
                break
        else:
            raise ValueError(f"could not make a {kind!r} example from shops {[s.name for s in shops]}")
    return out


def writer_tasks(shops: Sequence[Shop], n: int, seed: int) -> list[WriterTask]:
    return [s.task for s in writer_samples(shops, n, seed)]


def render_task(task: WriterTask, prompt: Literal["write", "write_fewshot"] = "write") -> str:
    """The exact text the model continues (it ends at "Answer:"): zero-shot for the tuned model,
    few-shot for the prompt-only baseline."""
    if prompt == "write_fewshot":
        return load_prompt("write_fewshot").render(facts=task.facts, question=task.question).strip()
    return load_prompt("write").render(facts=task.facts, question=task.question).strip()


def writer_examples(shops: Sequence[Shop], n: int, seed: int) -> list[tuple[str, str]]:
    """(prompt, target) pairs: the target is the builder's answer as the model must write it."""
    return [(render_task(t), f" {t.answer}\n") for t in writer_tasks(shops, n, seed)]

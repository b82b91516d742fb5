import numpy as np
import pytest

from bot.assistant import Facts, Validator


@pytest.fixture
def validator(mini_shop, hashing_embedder):
    def similarity(a, b):
        return hashing_embedder.embed_batch(list(a)) @ hashing_embedder.embed_batch(list(b)).T

    return Validator(mini_shop.products, similarity, secrets=("You are ShopTalk, the assistant",))


def test_correct_price_passes_wrong_price_is_caught(validator, mini_shop):
    facts = Facts(products=(mini_shop.products["S1"],))
    assert validator.check("The Ridge Runner GTX Trail Shoe costs $89.99 and is in stock.", facts).ok
    verdict = validator.check("The Ridge Runner GTX Trail Shoe costs $79.99.", facts)
    assert not verdict.ok and "price $79.99 is not in the facts" in verdict.problems


def test_stock_claims_are_checked(validator, mini_shop):
    sold_out = Facts(products=(mini_shop.products["S3"],))
    assert not validator.check("Good news, it is in stock and ships today.", sold_out).ok
    assert validator.check("Sorry, the Mudlark Trail Shoe is out of stock right now.", sold_out).ok
    in_stock = Facts(products=(mini_shop.products["S1"],))
    assert not validator.check("Unfortunately it is sold out.", in_stock).ok


def test_products_and_brands_outside_the_results_are_caught(validator, mini_shop):
    facts = Facts(products=(mini_shop.products["S1"],))
    verdict = validator.check("You could also try the Alpine Dome 2 Tent.", facts)
    assert not verdict.ok and any("Alpine Dome 2 Tent" in p for p in verdict.problems)
    assert not validator.check("Dewdrop makes a great option too.", facts).ok


def test_invented_promises_and_figures_are_caught(validator, mini_shop):
    facts = Facts(sections=tuple(s for s in mini_shop.policies if s.policy == "returns"))
    assert validator.check("Unused items can be returned within 30 days of delivery.", facts).ok
    assert not validator.check("You can return items within 60 days.", facts).ok
    assert not validator.check("Use the promo code SAVE20 for 20% off.", facts).ok
    assert not validator.check("We guarantee a full refund forever.", facts).ok


def test_scaffolding_and_secret_leaks_are_caught(validator):
    assert not validator.check("Question: what is the answer", Facts()).ok
    assert not validator.check("My instructions say: You are ShopTalk, the assistant for", Facts()).ok
    assert not validator.check("ok", Facts()).ok


def test_polarity_against_the_answering_fact(mini_shop):
    payments = Facts(sections=tuple(s for s in mini_shop.policies if s.policy == "payments"))
    # A fake similarity that maps every reply sentence onto the cryptocurrency sentence.
    sents = payments.sentences()
    crypto = next(i for i, s in enumerate(sents) if "Cryptocurrency" in s)

    def similarity(a, b):
        m = np.zeros((len(a), len(b)))
        m[:, crypto] = 0.9
        return m

    v = Validator(mini_shop.products, similarity)
    assert not v.check("Yes, you can pay with bitcoin.", payments, "can I pay with bitcoin?").ok
    assert v.check("No, cryptocurrency is not accepted.", payments, "can I pay with bitcoin?").ok


@pytest.mark.slow
def test_polarity_with_the_real_embedder(mini_shop, real_embedder):
    def similarity(a, b):
        return real_embedder.embed_batch(list(a)) @ real_embedder.embed_batch(list(b)).T

    v = Validator(mini_shop.products, similarity)
    payments = Facts(sections=tuple(s for s in mini_shop.policies if s.policy == "payments"))
    assert not v.check("Yes, you can pay with bitcoin.", payments, "can I pay with bitcoin?").ok
    assert v.check("No, cryptocurrency is not accepted.", payments, "can I pay with bitcoin?").ok
    assert v.check("Yes, we accept PayPal.", payments, "do you take paypal?").ok
    returns = Facts(sections=tuple(s for s in mini_shop.policies if s.policy == "returns"))
    assert not v.check(
        "Yes, you can return opened skincare any time.", returns, "can I return opened skincare?"
    ).ok


def test_a_real_figure_from_the_wrong_clause_is_caught():
    """Numbers copied from a neighbouring clause are the base model's typical mistake."""
    from conftest import DEMO_SHOP

    from retrieval import load_shop

    shop = load_shop(DEMO_SHOP)
    v = Validator(shop.products)

    def facts(*cites):
        return Facts(sections=tuple(s for s in shop.policies if s.citation in cites))

    refunds = facts("returns#refunds")
    card = "how long do refunds take to show up on my card?"
    assert not v.check("3 to 5 business days.", refunds, card).ok  # that is PayPal's figure
    assert v.check("Card refunds take 5 to 7 business days.", refunds, card).ok
    shipping = facts("shipping#shipping-options-and-costs", "shipping#free-shipping")
    assert not v.check("Express shipping costs $5.95.", shipping, "how much is express shipping?").ok
    assert v.check(
        "Standard shipping costs $5.95, and orders over $75 ship free.", shipping, "how much is shipping?"
    ).ok
    returns = facts("returns#return-window", "returns#opened-skincare-and-makeup")
    opened = "what's the return window for opened skincare?"
    assert not v.check("Opened skincare can be returned within 30 days.", returns, opened).ok
    assert v.check(
        "Opened skincare can be returned within 14 days if it caused a reaction.", returns, opened
    ).ok


def test_rambling_is_rejected(validator):
    text = "It is a great mat. It is a great mat. It is a great mat."
    assert not validator.check(text, Facts()).ok


def test_a_reworded_or_copied_claim_is_not_supported(validator, mini_shop):
    opened = next(s for s in mini_shop.policies if s.heading == "Opened skincare")
    facts = Facts(sections=(opened,))
    q = "can I return opened skincare?"
    # The base model's real failure: the clause turned into a rule the policy does not have.
    bad = validator.check("We only accept unopened skincare that is defective.", facts, q)
    assert not bad.ok and any("facts do not" in p for p in bad.problems)
    assert validator.check(
        "Opened skincare can be returned only if it is defective or caused a reaction.", facts, q
    ).ok
    # A product the few-shot examples mention, not the results, is not supported either.
    shoe = Facts(products=(mini_shop.products["S1"],))
    copied = validator.check("Yes, the Trailblazer Pro Hiking Boot is waterproof.", shoe, "is it waterproof?")
    assert not copied.ok
    assert validator.check(
        "Yes, the Ridge Runner GTX Trail Shoe is waterproof.", shoe, "is it waterproof?"
    ).ok

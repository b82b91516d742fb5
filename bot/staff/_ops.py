"""The staff side of ChatService: sessions, the queue, claiming, replies, notes, drafts, analytics.

Design decisions:

* Every method re-reads the staff session from its token, so an expired session or a changed
  role takes effect on the next click, not the next login.
* Permissions are policy here, atomicity is the store's: ``reply`` is a ``Change`` that
  requires status ``human`` *and* ``assigned_to == username``, so a reply racing a hand-back
  or another agent's resolve is refused by the database, not by a check that could go stale.
* When the store refuses, the current row is read once to say why (who holds it, resolved...).
* Every staff action writes an audit row (actor, action, conversation, detail, time).
* Account management (change your own password, and for admins: list accounts, set another's
  password, disable/enable, end sessions) is policy here over ``StaffDirectory``, which holds
  the rules (password strength, throttled logins, no hard lock); the CLI uses the directory
  directly (``shoptalk staff ...``).
* Drafts: shopper text is quoted into the ``draft_reply`` prompt only after ``for_prompt``
  (links, prompt labels, instruction-like sentences, card numbers removed), and a draft with a
  link or a request for card numbers or passwords is replaced by ``DRAFT_FALLBACK``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import yaml

from retrieval import ConfigError, InputError, NotFoundError, Shop

from .._settings import REPO_ROOT
from ..assistant import order_line
from ..conversations import (
    MAX_TEXT_CHARS,
    OPEN,
    Change,
    Conversation,
    ConversationStore,
    NewMessage,
    StoredMessage,
    explain_refusal,
    token_hash,
)
from ..llm import Message, load_prompt
from ..safety import for_prompt, redact_cards
from ._accounts import StaffDirectory
from ._analytics import Analytics, compute_analytics
from ._model import ConversationDetail, QueueItem, StaffAccount, StaffSession

log = logging.getLogger(__name__)

CANNED_PATH = REPO_ROOT / "data" / "canned_responses.yaml"
BACK_TO_BOT_TEXT = "You're back with the shopping assistant. Ask me anything, or ask for a person again."
JOINED_TEXT = "{name} from our team has joined the conversation."
RESOLVED_TEXT = "This conversation has been marked as resolved. Thanks for chatting with us!"
DRAFT_FALLBACK = "Thanks for your patience. I'm looking into this for you now."
# What a suggested reply must never carry: a link (the agent adds real ones), or a request for
# card details, passwords or codes (what a phishing message planted in the chat would ask).
_DRAFT_LINK = re.compile(
    r"https?://|\bwww\.|\[link\]|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|info|biz|ru|xyz|"
    r"shop|store|link|ly|me|app|site|online|top)\b(?:/\S*)?",
    re.IGNORECASE,
)
_DRAFT_CREDENTIALS = re.compile(
    r"\b(?:card|account|bank|routing|iban)\s*(?:number|no\.?|details|info|information|pin)\b"
    r"|\b(?:cvv2?|cvc|security code|expiry date|expiration date|passwords?|passcodes?|pin(?: code)?"
    r"|one[- ]time (?:code|password)|otp|verification code|2fa code|login details|sign[- ]in details)\b",
    re.IGNORECASE,
)


# for_prompt drops prompt labels at the start of a line; a draft prompt also must not see one
# mid-line ("where is it? Reply: ..."), since the completion model reads "Reply:" as its cue.
_LABEL = re.compile(
    r"\b(?:answer|reply|facts?|question|shopper|assistant|agent|system|user)\s*:", re.IGNORECASE
)


def _quote(text: str, limit: int) -> str:
    """Shopper-derived text made safe to put in the draft prompt."""
    return " ".join(_LABEL.sub(" ", for_prompt(text, limit * 2)).split())[:limit]


def unsafe_draft(text: str) -> bool:
    """True if a drafted reply contains a link or asks for card numbers, passwords or codes."""
    return bool(_DRAFT_LINK.search(text) or _DRAFT_CREDENTIALS.search(text))


class StaffOps:
    """What staff do: sign in, work the queue, take over and hand back conversations, draft
    replies, read analytics, manage accounts. ``ChatService.staff`` is one of these."""

    def __init__(
        self,
        conversations: ConversationStore,
        directory: StaffDirectory,
        shop: Shop,
        *,
        engine=None,
        model=None,
        canned_path: Path | None = None,
        forecast: Callable[[], object] | None = None,
        clock: Callable[[], float],
    ):
        self.conversations, self.directory, self.shop = conversations, directory, shop
        self.engine, self.model, self.clock = engine, model, clock
        self.canned_path = canned_path or CANNED_PATH
        self.forecast = forecast

    # -- accounts -----------------------------------------------------------------------------
    def login(self, username: str, password: str, *, client: str | None = None) -> StaffSession:
        """A staff session; ``client`` is the caller's address (login throttling, audit log)."""
        return self.directory.login(username, password, client=client)

    def logout(self, session_token: str) -> None:
        self.directory.logout(session_token)

    def session(self, session_token: str) -> StaffSession:
        """The live session for a token (AuthError if unknown, expired or disabled)."""
        return self.directory.session(session_token)

    def _admin(self, s_admin: StaffSession) -> StaffSession:
        s = self.session(s_admin.token)
        self.directory.require_admin(s)
        return s

    def create_staff(self, s_admin: StaffSession, username: str, password: str, role: str) -> None:
        s = self._admin(s_admin)
        self.directory.create(username, password, role, actor=s.username)

    def change_password(
        self, s: StaffSession, current_password: str, new_password: str, *, client: str | None = None
    ) -> int:
        """Change your own password (needs the current one); your other sessions end (returned: how many)."""
        s = self.session(s.token)
        return self.directory.change_password(
            s.username, current_password, new_password, keep=token_hash(s.token), client=client
        )

    def staff_accounts(self, s_admin: StaffSession) -> list[StaffAccount]:
        s = self._admin(s_admin)
        self._audit(s, "list_staff", None)
        return self.directory.accounts()

    def set_staff_password(self, s_admin: StaffSession, username: str, password: str) -> int:
        """An admin sets another account's password; that account's sessions end."""
        s = self._admin(s_admin)
        if (username or "").strip().lower() == s.username:
            raise InputError(
                "To change your own password use the change-password form; it asks for your current password"
            )
        return self.directory.set_password(username, password, actor=s.username)

    def disable_staff(self, s_admin: StaffSession, username: str) -> int:
        s = self._admin(s_admin)
        return self.directory.set_disabled(username, True, actor=s.username)

    def enable_staff(self, s_admin: StaffSession, username: str) -> None:
        s = self._admin(s_admin)
        self.directory.set_disabled(username, False, actor=s.username)

    def revoke_staff_sessions(self, s_admin: StaffSession, username: str) -> int:
        s = self._admin(s_admin)
        return self.directory.revoke_sessions(username, actor=s.username)

    # -- helpers ------------------------------------------------------------------------------
    def _get(self, conversation_id: str) -> Conversation:
        conv = self.conversations.get(str(conversation_id))
        if conv is None:
            raise NotFoundError(f"Unknown conversation {conversation_id!r}")
        return conv

    def _audit(self, s: StaffSession, action: str, conversation_id: str | None, detail: str = "") -> None:
        self.directory.store.audit(s.username, action, conversation_id, detail, self.clock())

    def _refused(self, conversation_id: str, action: str, username: str | None = None) -> NoReturn:
        explain_refusal(self._get(conversation_id), action, username)

    @staticmethod
    def _text(text: str) -> str:
        clean = redact_cards((text or "").strip()).text
        if not clean:
            raise InputError("Message is empty; type a reply")
        if len(clean) > MAX_TEXT_CHARS:
            raise InputError(f"Message is {len(clean)} characters; the limit is {MAX_TEXT_CHARS}")
        return clean

    def _shopper_name(self, conv: Conversation) -> str:
        customer = self.shop.customers.get(conv.customer_id or "")
        return customer.name if customer else conv.user_id

    # -- the queue ----------------------------------------------------------------------------
    def queue(self, s: StaffSession) -> list[QueueItem]:
        """Waiting conversations: high priority (safety, fraud, legal, payment) first, then oldest."""
        self.session(s.token)
        now, items = self.clock(), []
        for conv in self.conversations.conversations(("waiting",)):
            asked = [m.text for m in self.conversations.messages(conv.id, notes=False) if m.role == "shopper"]
            since = conv.handoff_at if conv.handoff_at is not None else conv.created_at
            items.append(
                QueueItem(
                    conv.id,
                    conv.handoff_reason,
                    conv.handoff_summary,
                    conv.handoff_priority,
                    max(0.0, now - since),
                    self._shopper_name(conv),
                    conv.customer_id,
                    asked[-1] if asked else "",
                )
            )
        return sorted(items, key=lambda q: (q.priority != "high", -q.waited_s))

    def mine(self, s: StaffSession) -> list[Conversation]:
        s = self.session(s.token)
        return self.conversations.conversations(("human",), assigned_to=s.username)

    def detail(self, s: StaffSession, conversation_id: str) -> ConversationDetail:
        s = self.session(s.token)
        conv = self._get(conversation_id)
        profile, behaviour = None, ()  # type: tuple[object, tuple[dict, ...]]
        if self.engine is not None:
            profile = self.engine.profile(conv.user_id)
            recent = list(self.engine.store.events(conv.user_id))[-10:]
            behaviour = tuple(
                {"event": e.event, "item_id": e.item_id, "query": e.query, "at": e.timestamp}
                for e in reversed(recent)
            )
        orders = tuple(self.shop.orders_of(conv.customer_id)) if conv.customer_id else ()  # newest first
        self._audit(s, "view", conv.id)
        return ConversationDetail(
            conv,
            tuple(self.conversations.messages(conv.id)),
            tuple(self.conversations.transitions(conv.id)),
            profile,
            orders,
            behaviour,
        )

    # -- the state machine --------------------------------------------------------------------
    def claim(self, s: StaffSession, conversation_id: str) -> Conversation:
        s = self.session(s.token)
        joined = NewMessage("system", JOINED_TEXT.format(name=s.username))
        applied = self.conversations.apply(
            str(conversation_id),
            Change(("waiting",), s.username, to="human", assign=s.username, messages=(joined,)),
            self.clock(),
        )
        if applied is None:
            self._refused(conversation_id, "claim", s.username)
        self._audit(s, "claim", applied.conversation.id)
        return applied.conversation

    def reply(self, s: StaffSession, conversation_id: str, text: str) -> StoredMessage:
        s = self.session(s.token)
        message = NewMessage("staff", self._text(text), author=s.username)
        applied = self.conversations.apply(
            str(conversation_id),
            Change(("human",), s.username, assignee=s.username, messages=(message,)),
            self.clock(),
        )
        if applied is None:
            self._refused(conversation_id, "reply", s.username)
        self._audit(s, "reply", applied.conversation.id, f"message {applied.messages[0].id}")
        return applied.messages[0]

    def note(self, s: StaffSession, conversation_id: str, text: str) -> StoredMessage:
        s = self.session(s.token)
        message = NewMessage("note", self._text(text), author=s.username)
        statuses = (*OPEN, "resolved")  # notes are for the record: allowed after resolving too
        applied = self.conversations.apply(
            str(conversation_id), Change(statuses, s.username, messages=(message,)), self.clock()
        )
        if applied is None:
            raise NotFoundError(f"Unknown conversation {conversation_id!r}")
        self._audit(s, "note", applied.conversation.id, f"message {applied.messages[0].id}")
        return applied.messages[0]

    def hand_back(self, s: StaffSession, conversation_id: str) -> Conversation:
        s = self.session(s.token)
        change = Change(
            ("human",),
            s.username,
            assignee=s.username,
            to="bot",
            assign=None,
            messages=(NewMessage("system", BACK_TO_BOT_TEXT),),
        )
        applied = self.conversations.apply(str(conversation_id), change, self.clock())
        if applied is None:
            self._refused(conversation_id, "hand back", s.username)
        self._audit(s, "hand_back", applied.conversation.id)
        return applied.conversation

    def resolve(self, s: StaffSession, conversation_id: str) -> Conversation:
        """waiting -> resolved by any staff; human -> resolved by the assignee (or an admin)."""
        s = self.session(s.token)
        closing = (NewMessage("system", RESOLVED_TEXT),)
        applied = self.conversations.apply(
            str(conversation_id),
            Change(("waiting",), s.username, to="resolved", messages=closing),
            self.clock(),
        )
        if applied is None:
            owner = None if s.is_admin else s.username
            applied = self.conversations.apply(
                str(conversation_id),
                Change(("human",), s.username, assignee=owner, to="resolved", messages=closing),
                self.clock(),
            )
        if applied is None:
            self._refused(conversation_id, "resolve", s.username)
        self._audit(s, "resolve", applied.conversation.id)
        return applied.conversation

    # -- assistance ---------------------------------------------------------------------------
    def canned(self) -> list[tuple[str, str]]:
        """(title, text) pairs from data/canned_responses.yaml."""
        try:
            data = yaml.safe_load(self.canned_path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"Cannot read canned responses {self.canned_path}: {exc}") from exc
        return [(str(r["title"]), str(r["text"]).strip()) for r in data.get("responses", [])]

    def draft(self, s: StaffSession, conversation_id: str) -> str:
        """A model-drafted reply for the agent to edit (never sent by itself).

        Shopper text is data, not instructions: the question and the handoff summary go through
        ``for_prompt`` (links, prompt labels like "Reply:", instruction-like sentences and card
        numbers removed) before they reach the prompt, and a draft that still carries a link or
        asks for card numbers or passwords is replaced by ``DRAFT_FALLBACK``.
        """
        s = self.session(s.token)
        conv = self._get(conversation_id)
        messages = self.conversations.messages(conv.id, notes=False)
        asked = next((m.text for m in reversed(messages) if m.role == "shopper"), "")
        facts = [_quote(conv.handoff_summary or "", 600)]
        if conv.customer_id:
            facts += [order_line(o) for o in self.shop.orders_of(conv.customer_id)[:2]]
        text = ""
        if self.model is not None:
            prompt = load_prompt("draft_reply").render(
                facts=" ".join(f for f in facts if f)[:1500], message=_quote(asked, 500)
            )
            stop = ("\n",) if self.model.kind == "completion" else ()
            try:
                text = self.model.generate(
                    [Message("user", prompt.rstrip())], max_new_tokens=80, stop=stop
                ).strip()
            except Exception:  # an unreachable model must not break the console; the agent types instead
                log.exception("draft reply failed for conversation %s", conv.id)
        text = redact_cards(text).text
        if text and unsafe_draft(text):
            log.warning(
                "draft reply for conversation %s had a link or asked for credentials; replaced", conv.id
            )
            text = ""
        self._audit(s, "draft", conv.id)
        return text or DRAFT_FALLBACK

    def analytics(self, s: StaffSession) -> Analytics:
        s = self.session(s.token)
        self.directory.require_admin(s)
        self._audit(s, "analytics", None)
        return compute_analytics(self.conversations, self.engine, self.forecast, self.clock())

    def audit_log(self, s: StaffSession, limit: int = 100) -> list[dict]:
        s = self.session(s.token)
        self.directory.require_admin(s)
        return self.directory.store.audit_log(max(1, min(int(limit), 1000)))

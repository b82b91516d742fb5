"""Settings, resolved once at the edge: explicit argument > environment variable > default.

``SHOPTALK_HOME`` relocates all local state (indexes, database, converted models), which is
how tests isolate themselves. Each shop directory gets its own state folder under it, so two
shops never share an index or a database by accident.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from retrieval import ConfigError, slugify

from .safety import ClientResolver, Limits, is_loopback

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHOP = REPO_ROOT / "data" / "demo_shop"
DEFAULT_HOME = Path("~/.shoptalk")
# Demo staff accounts; their passwords are refused outside demo mode in production (see StaffDirectory).
DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("admin", "admin-demo", "admin"),
    ("agent", "agent-demo", "agent"),
)


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_flag(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0")


def _env_float(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (_env(name) or "").split(",") if x.strip())


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def torch_threads_from_env() -> int:
    """``SHOPTALK_TORCH_THREADS`` (0: the default). The CLI needs it before any command parses
    its options (threads are process-wide), so it is read here for both it and ``Settings``."""
    return _env_int("SHOPTALK_TORCH_THREADS", 0)


@dataclass(frozen=True)
class Settings:
    shop_dir: Path = DEFAULT_SHOP
    home: Path = DEFAULT_HOME
    chroma_url: str | None = None  # http://host:port for a Chroma server; embedded otherwise
    database_url: str | None = None  # sqlite:///... or postgresql+psycopg://...
    embedder_path: str | None = None  # any sentence-transformers directory
    llm_backend: str = "bundled"
    llm_model: str | None = None  # HF path (hf) or model name (openai)
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_adapter: str | None = None  # LoRA writer adapter for the bundled model; "none"; None: the repo's
    llm_max_new_tokens: int = 80
    redact_remote_pii: bool = True
    handoff_after_failures: int = 2
    torch_threads: int = 0  # 0: the cores we may use minus one (see retrieval.configure_torch_threads)
    refresh_minutes: int = 15  # how often the recommender recounts popularity and refits
    shop_key: str | None = None  # SHOPTALK_SHOP_KEY: the secret the shop's backend sends as X-Shop-Key
    staff_defaults: tuple[tuple[str, str | None, str], ...] = DEMO_STAFF  # (username, password, role)
    # -- security (docs/security.md) --
    demo: bool = False  # the demo shopper selector and demo staff passwords; `make demo` turns it on
    production: bool | None = None  # None: decided by `serve` (a non-loopback interface, or a trusted proxy)
    limits: Limits = field(default_factory=Limits)
    trusted_proxy_header: str | None = None  # e.g. X-Forwarded-For, honoured only from trusted_proxies
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    cors_origins: tuple[str, ...] = ()  # origins allowed to call the API from a browser
    shopper_idle_minutes: int = 1440  # a shopper token stops working after this long without activity
    click_min_delay_s: float = 1.0  # ad clicks sooner than this after the impression are not billed
    click_min_activity: int = 2  # messages + reported events a chat needs before its ad clicks are billed
    click_max_per_address: int = 2  # billed clicks per ad per client address per day
    request_timeout_s: float = 30.0  # a client must send its request body within this
    keepalive_s: float = 5.0  # idle keep-alive connections are closed after this
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values: dict[str, Any] = dict(
            shop_dir=Path(_env("SHOPTALK_SHOP") or DEFAULT_SHOP),
            home=Path(_env("SHOPTALK_HOME") or DEFAULT_HOME),
            chroma_url=_env("SHOPTALK_CHROMA_URL"),
            database_url=_env("SHOPTALK_DATABASE_URL"),
            embedder_path=_env("SHOPTALK_EMBEDDER"),
            llm_backend=_env("SHOPTALK_LLM", "bundled"),
            llm_model=_env("SHOPTALK_LLM_MODEL"),
            llm_base_url=_env("SHOPTALK_LLM_BASE_URL"),
            llm_api_key=_env("SHOPTALK_LLM_API_KEY"),
            llm_adapter=_env("SHOPTALK_LLM_ADAPTER"),
            llm_max_new_tokens=_env_int("SHOPTALK_LLM_MAX_NEW_TOKENS", 80),
            redact_remote_pii=_env("SHOPTALK_REDACT_REMOTE_PII", "1") not in ("0", "false", "no"),
            handoff_after_failures=_env_int("SHOPTALK_HANDOFF_AFTER_FAILURES", 2),
            refresh_minutes=_env_int("SHOPTALK_REFRESH_MINUTES", 15),
            torch_threads=torch_threads_from_env(),
            shop_key=_env("SHOPTALK_SHOP_KEY"),
            staff_defaults=(
                # A password left unset is None: the demo one outside production, no account in it.
                (_env("SHOPTALK_ADMIN_USER", "admin"), _env("SHOPTALK_ADMIN_PASSWORD"), "admin"),
                (_env("SHOPTALK_AGENT_USER", "agent"), _env("SHOPTALK_AGENT_PASSWORD"), "agent"),
            ),
            demo=_env_flag("SHOPTALK_DEMO"),
            production=_env_flag("SHOPTALK_PRODUCTION") if _env("SHOPTALK_PRODUCTION") is not None else None,
            limits=Limits.from_env(_env, _env_int("SHOPTALK_TURN_QUEUE", 32)),
            trusted_proxy_header=_env("SHOPTALK_TRUSTED_PROXY_HEADER"),
            trusted_proxies=_env_list("SHOPTALK_TRUSTED_PROXIES") or ("127.0.0.1", "::1"),
            cors_origins=_env_list("SHOPTALK_CORS_ORIGINS"),
            shopper_idle_minutes=_env_int("SHOPTALK_SHOPPER_IDLE_MINUTES", 1440),
            click_min_delay_s=_env_float("SHOPTALK_CLICK_MIN_DELAY_S", 1.0),
            click_min_activity=_env_int("SHOPTALK_CLICK_MIN_ACTIVITY", 2),
            click_max_per_address=_env_int("SHOPTALK_CLICK_MAX_PER_ADDRESS", 2),
            request_timeout_s=_env_float("SHOPTALK_REQUEST_TIMEOUT_S", 30.0),
            keepalive_s=_env_float("SHOPTALK_KEEPALIVE_S", 5.0),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def validate(self) -> None:
        from .llm import check_backend  # here, not at the top: bot.llm imports this module

        check_backend(self.llm_backend)  # the registry's names, so a registered backend is accepted
        if self.llm_backend == "openai" and not self.llm_base_url:
            raise ConfigError(
                "SHOPTALK_LLM=openai needs SHOPTALK_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1)"
            )
        if self.refresh_minutes < 1:
            raise ConfigError(f"SHOPTALK_REFRESH_MINUTES={self.refresh_minutes} must be at least 1")
        if self.shopper_idle_minutes < 1:
            raise ConfigError(f"SHOPTALK_SHOPPER_IDLE_MINUTES={self.shopper_idle_minutes} must be at least 1")
        if self.request_timeout_s <= 0 or self.keepalive_s <= 0:
            raise ConfigError("SHOPTALK_REQUEST_TIMEOUT_S and SHOPTALK_KEEPALIVE_S must be positive")
        bad = [o for o in self.cors_origins if o == "*" or not o.startswith(("http://", "https://"))]
        if bad:
            raise ConfigError(
                f"SHOPTALK_CORS_ORIGINS has {bad[0]!r}; list exact origins like https://shop.example"
            )
        if self.llm_backend == "hf" and not self.llm_model:
            raise ConfigError(
                "SHOPTALK_LLM=hf needs SHOPTALK_LLM_MODEL, a local Hugging Face model directory"
            )
        if self.llm_backend == "gguf" and not self.llm_model:
            raise ConfigError("SHOPTALK_LLM=gguf needs SHOPTALK_LLM_MODEL, the path of a .gguf model file")

    def is_production(self, host: str = "127.0.0.1") -> bool:
        """Production rules apply unless this is a demo: on a non-loopback interface, behind a
        trusted proxy, or when SHOPTALK_PRODUCTION=1 says so. (Like Elasticsearch's bootstrap
        checks: a server only this machine can reach may keep the demo staff passwords.)"""
        if self.production is not None:
            return self.production
        return not self.demo and (self.trusted_proxy_header is not None or not is_loopback(host))

    @property
    def client_resolver(self) -> ClientResolver:
        return ClientResolver(self.trusted_proxy_header, self.trusted_proxies)

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser()

    @property
    def state_name(self) -> str:
        """The shop's state folder name: its directory's slug plus a hash of its absolute path."""
        path = self.shop_dir.expanduser().resolve()
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        return f"{slugify(path.name)[:40]}-{digest}"

    @property
    def state_dir(self) -> Path:
        return self.home_dir / "shops" / self.state_name

    @property
    def chroma_location(self) -> str:
        return self.chroma_url or str(self.state_dir / "chroma")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.state_dir / 'shoptalk.db'}"

    @property
    def models_dir(self) -> Path:
        return self.home_dir / "models"

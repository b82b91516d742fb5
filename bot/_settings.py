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

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHOP = REPO_ROOT / "data" / "demo_shop"
DEFAULT_HOME = Path("~/.shoptalk")
LLM_BACKENDS = ("bundled", "hf", "openai", "fake")


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


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
    llm_max_new_tokens: int = 80
    redact_remote_pii: bool = True
    handoff_after_failures: int = 2
    torch_threads: int = 0  # 0: the cores we may use minus one (see retrieval.configure_torch_threads)
    refresh_minutes: int = 15  # how often the recommender recounts popularity and refits
    site_key: str | None = None  # shared secret the shop's backend sends to start signed-in chats
    staff_defaults: tuple[tuple[str, str, str], ...] = (("admin", "admin-demo", "admin"),
                                                       ("agent", "agent-demo", "agent"))
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
            llm_max_new_tokens=_env_int("SHOPTALK_LLM_MAX_NEW_TOKENS", 80),
            redact_remote_pii=_env("SHOPTALK_REDACT_REMOTE_PII", "1") not in ("0", "false", "no"),
            handoff_after_failures=_env_int("SHOPTALK_HANDOFF_AFTER_FAILURES", 2),
            refresh_minutes=_env_int("SHOPTALK_REFRESH_MINUTES", 15),
            torch_threads=_env_int("SHOPTALK_TORCH_THREADS", 0),
            site_key=_env("SHOPTALK_SHOP_KEY"),
            staff_defaults=(
                (_env("SHOPTALK_ADMIN_USER", "admin"), _env("SHOPTALK_ADMIN_PASSWORD", "admin-demo"), "admin"),
                (_env("SHOPTALK_AGENT_USER", "agent"), _env("SHOPTALK_AGENT_PASSWORD", "agent-demo"), "agent"),
            ),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def validate(self) -> None:
        if self.llm_backend not in LLM_BACKENDS:
            raise ConfigError(f"Unknown LLM backend {self.llm_backend!r}; choose one of: {', '.join(LLM_BACKENDS)}")
        if self.llm_backend == "openai" and not self.llm_base_url:
            raise ConfigError("SHOPTALK_LLM=openai needs SHOPTALK_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1)")
        if self.refresh_minutes < 1:
            raise ConfigError(f"SHOPTALK_REFRESH_MINUTES={self.refresh_minutes} must be at least 1")
        if self.llm_backend == "hf" and not self.llm_model:
            raise ConfigError("SHOPTALK_LLM=hf needs SHOPTALK_LLM_MODEL, a local Hugging Face model directory")

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser()

    @property
    def shop_key(self) -> str:
        """Stable per-shop name: folder slug plus a hash of its absolute path."""
        path = self.shop_dir.expanduser().resolve()
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        return f"{slugify(path.name)[:40]}-{digest}"

    @property
    def state_dir(self) -> Path:
        return self.home_dir / "shops" / self.shop_key

    @property
    def chroma_location(self) -> str:
        return self.chroma_url or str(self.state_dir / "chroma")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.state_dir / 'shoptalk.db'}"

    @property
    def models_dir(self) -> Path:
        return self.home_dir / "models"

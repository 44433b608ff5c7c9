"""Is this webhook really from our telephony provider?

- Twilio: X-Twilio-Signature, base64 HMAC-SHA1 (auth token) over the full URL Twilio requested
  followed by every form parameter's name and value, names sorted, each name's distinct values
  sorted. Twilio is inconsistent about default ports, so the URL is tried with and without one.
  A JSON body is signed through its SHA-256 in the `bodySHA256` query parameter instead.
- Plivo: X-Plivo-Signature-V3 (one or more, comma-separated), base64 HMAC-SHA256 (auth token)
  over the URL (query sorted), the sorted POST parameters and the X-Plivo-Signature-V3-Nonce.
- Exotel signs nothing: its URLs carry a secret token, compared in constant time.

Every comparison is constant-time; an unset secret refuses everything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlsplit, urlunsplit

Params = Mapping[str, Sequence[str]]


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


# --- Twilio -------------------------------------------------------------------------------------


def _twilio_sign(token: str, url: str, params: Params) -> str:
    text = url + "".join(
        name + value for name in sorted(params) for value in sorted(set(params[name]))
    )
    digest = hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> tuple[str, str]:
    """(without port, with port): Twilio signs one or the other."""
    parts = urlsplit(url)
    if parts.port is not None:
        without = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
        return urlunsplit(without), url
    port = 443 if parts.scheme == "https" else 80
    return url, urlunsplit(parts._replace(netloc=f"{parts.netloc}:{port}"))


def twilio_signature_valid(
    *, token: str, url: str, params: Params, signature: str, body: str | None = None
) -> bool:
    """`params`: the form parameters (name -> values). `body`: the raw body of a JSON request,
    whose SHA-256 must equal the URL's `bodySHA256` (its form parameters are then none)."""
    if not token or not signature:
        return False
    query = parse_qs(urlsplit(url).query)
    if "bodySHA256" in query:
        if body is None:
            return False
        digest = hashlib.sha256(body.encode()).hexdigest()
        if not _same(digest, query["bodySHA256"][0]):
            return False
        params = {}
    return any(_same(signature, _twilio_sign(token, u, params)) for u in _port_variants(url))


# --- Plivo --------------------------------------------------------------------------------------


def _sorted_query(params: Params) -> str:
    return "&".join(
        "&".join(f"{name}={value}" for value in sorted(params[name])) for name in sorted(params)
    )


def _sorted_params(params: Params) -> str:
    return "".join(
        "".join(f"{name}{value}" for value in sorted(params[name])) for name in sorted(params)
    )


def plivo_v3_base(*, method: str, url: str, params: Params) -> str:
    """The string Plivo signs before the nonce (its SDKs' `construct_*_url`)."""
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    query: dict[str, Sequence[str]] = dict(parse_qs(parts.query, keep_blank_values=True))
    if method.upper() == "GET":
        merged = {**params, **query}
        text = _sorted_query(merged)
        return f"{base}?{text}" if text else base
    text = _sorted_query(query)
    if text or params:
        base = f"{base}?{text}"
    if text and params:
        base += "."
    return base + _sorted_params(params)


def plivo_v3_signature(*, token: str, method: str, url: str, params: Params, nonce: str) -> str:
    signed = f"{plivo_v3_base(method=method, url=url, params=params)}.{nonce}"
    digest = hmac.new(token.encode(), signed.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def plivo_signature_valid(
    *, token: str, method: str, url: str, params: Params, nonce: str, signatures: str
) -> bool:
    if not token or not nonce or not signatures:
        return False
    expected = plivo_v3_signature(token=token, method=method, url=url, params=params, nonce=nonce)
    # Several signatures when the account has more than one auth token active.
    return any(_same(given.strip(), expected) for given in signatures.split(","))


# --- Exotel -------------------------------------------------------------------------------------


def url_token_valid(*, expected: str, given: str) -> bool:
    return bool(expected) and _same(given, expected)

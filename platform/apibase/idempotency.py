"""`Idempotency-Key` for unsafe API calls, with Stripe's promise.

    class CheckoutView(APIView):
        @idempotent(scope=checkout_scope)
        def post(self, request): ...

- the same key and the same body (method, path, JSON body) replay the first response, status and body,
  with the header `Idempotent-Replayed: true`;
- the same key with another body answers 422 `idempotency_key_reused`;
- the same key while the first request is still running answers 409 `idempotency_request_in_progress`;
- keys live 24 hours (`IDEMPOTENCY_KEY_TTL`), per scope: by default the signed-in account, or for
  anonymous clients what the view's `scope` function returns (e.g. their basket token).

A response is stored when the view answers (2xx and 4xx alike, as Stripe does); if the view crashes
(a 5xx), the key is released so the client can retry. The key row is written and committed before the
view runs, so a second request sees it at once (the unique constraint decides who runs).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apibase.errors import ApiError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)
RUNNING_ABANDONED_AFTER = timedelta(minutes=5)  # a crashed worker's key may be retried after this

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string up to 255 characters (a UUID). The same key and body replay the first "
        "response; another body with the key answers 422; a request while the first still runs answers "
        "409. Keys live 24 hours."
    ),
)


class IdempotencyKeyInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_invalid"
    default_detail = "The Idempotency-Key header must be 1 to 255 printable characters."


class IdempotencyKeyReused(ApiError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was used with a different request. Use a new key."


class IdempotencyRequestInProgress(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_request_in_progress"
    default_detail = "A request with this Idempotency-Key is still being processed. Retry in a moment."


def request_fingerprint(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    except Exception:  # noqa: BLE001 - unparsable bodies are fingerprinted as they came
        body = request.body.decode("utf-8", "replace")
    raw = f"{request.method}\n{request.path}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def default_scope(request) -> str:
    user = request.user
    return f"user:{user.pk}" if user.is_authenticated else "anonymous"


def idempotency_begin(*, scope: str, key: str, fingerprint: str):
    """Claim `key` for a new request (returns (record, None)) or find the finished first request to
    replay (returns (None, record)); raises 409/422 as the module docstring says."""
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint, created_at=now)
            return record, None
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if existing is None:
            continue  # purged meanwhile: claim it again
        expired = existing.created_at < now - IDEMPOTENCY_KEY_TTL
        abandoned = existing.state == IdempotencyKey.RUNNING and existing.created_at < now - RUNNING_ABANDONED_AFTER
        if expired or abandoned:
            IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        if existing.state == IdempotencyKey.RUNNING:
            raise IdempotencyRequestInProgress()
        return None, existing
    raise IdempotencyRequestInProgress()


def idempotency_finish(*, record, response: Response) -> None:
    body = json.loads(JSONRenderer().render(response.data) or b"null")
    record.state = record.DONE
    record.response_status = response.status_code
    record.response_body = body
    record.save(update_fields=["state", "response_status", "response_body"])


def idempotency_release(*, record) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).delete()


def idempotency_keys_purge(*, older_than: timedelta = IDEMPOTENCY_KEY_TTL) -> int:
    """Delete keys past their lifetime; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def idempotent(scope: Callable | None = None):
    """Decorate an APIView handler (post/patch/...) to honour the `Idempotency-Key` header."""
    scope_of = scope or default_scope

    def decorate(handler):
        @wraps(handler)
        def wrapper(view, request, *args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return handler(view, request, *args, **kwargs)
            key = key.strip()
            if not key or len(key) > 255 or not key.isprintable():
                raise IdempotencyKeyInvalid()
            record, replay = idempotency_begin(
                scope=scope_of(request), key=key, fingerprint=request_fingerprint(request)
            )
            if replay is not None:
                return Response(replay.response_body, status=replay.response_status, headers={REPLAYED_HEADER: "true"})
            try:
                try:
                    response = handler(view, request, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - a business "no" is an answer: store it
                    response = view.handle_exception(exc)  # re-raises what the error format does not map
            except BaseException:
                idempotency_release(record=record)
                raise
            if response.status_code >= 500:
                idempotency_release(record=record)
            else:
                idempotency_finish(record=record, response=response)
            return response

        return wrapper

    return decorate

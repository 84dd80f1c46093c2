"""``POST /v1/query``: run one script in the sandbox and answer its envelope.

A script that fails (rule violation, runtime error, budget, timeout) still answers 200: the request
was served, and the envelope says ``ok: false`` with the error the caller (often an LLM) reads to fix
the script. Non-2xx answers are kept for requests that could not be served (a malformed body, a bad
Authorization header) and carry the API's one error body.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from hubsight.api.deps import ScriptSettingsDep, TokenDep
from hubsight.api.errors import ERROR_RESPONSES, ErrorBody
from hubsight.sandbox import run_script
from hubsight.sandbox.envelope import Envelope, over_http

router = APIRouter(tags=["query"])

EXAMPLE = 'resp = await hf_models_search(limit=3)\nresult = resp["items"]\nresult'


class QueryRequest(BaseModel):
    """One script to run. Unknown keys are refused, so a misspelt option cannot be silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{"code": EXAMPLE}]})

    code: str = Field(description="The script: top-level async Python ending with a bare `result` line.")
    max_calls: int | None = Field(
        None, ge=0, description="External-call budget (default HUBSIGHT_MAX_CALLS, clamped to HUBSIGHT_MAX_CALLS_CEILING)."
    )
    timeout: float | None = Field(
        None, gt=0, description="Wall-clock seconds (default and maximum: HUBSIGHT_SANDBOX_TIMEOUT)."
    )
    type_check: bool = Field(False, description="Type-check the script against the helper stubs first.")


@router.post(
    "/v1/query",
    response_model=Envelope,
    summary="Run a script against the Hub",
    responses={
        **ERROR_RESPONSES,
        401: {"model": ErrorBody, "description": "The Authorization header is not `Bearer <token>`."},
    },
)
async def query(body: QueryRequest, settings: ScriptSettingsDep, token: TokenDep) -> JSONResponse:
    """Run the script with the caller's token (if any); 200 with the envelope, ``ok: false`` when the script failed."""
    # Callers may shorten the server's wall-clock limit, never lengthen it: a worker is held that long.
    timeout = None if body.timeout is None else min(body.timeout, settings.sandbox_timeout)
    envelope = await run_script(
        body.code,
        max_calls=body.max_calls,
        timeout=timeout,
        token=token,
        settings=settings,
        type_check=body.type_check,
    )
    # Returned as is (response_model documents it): the envelope is already plain JSON data, with its
    # advice about tokens for a caller over HTTP
    return JSONResponse(over_http(envelope))

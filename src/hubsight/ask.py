"""`hubsight ask`: an LLM writes a script from the generated prompt, hubsight runs it, errors go back.

Works with any OpenAI-compatible chat endpoint through huggingface_hub's InferenceClient; the
default is Hugging Face's inference router with HF_TOKEN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hubsight.errors import HubsightError
from hubsight.settings import Settings

CODE_BLOCK = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.DOTALL)
INSTRUCTIONS = (
    "Answer the question by writing one hubsight script. Reply with the whole script in a single "
    "```python block and nothing else."
)


class AskError(HubsightError):
    """The model could not be reached or never produced a script that ran."""


@dataclass
class Attempt:
    code: str
    envelope: dict[str, Any]


@dataclass
class Answer:
    question: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]

    @property
    def ok(self) -> bool:
        return bool(self.attempts) and bool(self.final.envelope.get("ok"))


def extract_code(reply: str) -> str:
    """The script in the model's reply: the last fenced block, or the whole reply when there is none."""
    blocks = CODE_BLOCK.findall(reply)
    code = blocks[-1] if blocks else reply
    return code.strip() + "\n"


def feedback(envelope: dict[str, Any]) -> str:
    error = envelope.get("error") or {}
    where = f" (line {error['line']})" if error.get("line") else ""
    return (
        f"The script failed with {error.get('type', 'an error')}{where}: {error.get('message', '')}\n"
        "Fix it and reply with the whole corrected script in one ```python block."
    )


SOURCES = {"base_url": "HUBSIGHT_ASK_BASE_URL", "model": "HUBSIGHT_ASK_MODEL"}
"""Where each setting of an ask came from, as errors name it; the CLI passes ``--base-url``/``--model``
for the ones given on its command line."""


def chat_client(settings: Settings, sources: dict[str, str] | None = None) -> Any:
    from huggingface_hub import InferenceClient

    names = {**SOURCES, **(sources or {})}
    token = settings.hf_token or None
    if token is None and "huggingface.co" in settings.ask_base_url:
        raise AskError(
            f"the model endpoint {settings.ask_base_url} (Hugging Face's router) needs HF_TOKEN; set it, or point "
            f"{names['base_url']} at another OpenAI-compatible endpoint"
        )
    return InferenceClient(base_url=settings.ask_base_url, api_key=token, timeout=settings.ask_timeout)


async def ask(
    question: str,
    settings: Settings,
    *,
    retries: int | None = None,
    max_calls: int | None = None,
    complete: Callable[[list[dict[str, str]]], str] | None = None,
    sources: dict[str, str] | None = None,
) -> Answer:
    """Ask, run, and on failure feed the error back, up to ``retries`` more times."""
    import asyncio

    from hubsight.prompt import render
    from hubsight.sandbox import run_script

    names = {**SOURCES, **(sources or {})}
    if complete is None:
        client = chat_client(settings, names)

        def complete(messages: list[dict[str, str]]) -> str:
            try:
                out = client.chat_completion(messages, model=settings.ask_model, max_tokens=2048, temperature=0)
            except Exception as exc:  # any transport or API failure ends the ask with one clear line
                raise AskError(
                    f"the model endpoint {settings.ask_base_url} failed ({type(exc).__name__}: {exc}); "
                    f"check {names['base_url']}, {names['model']} and HF_TOKEN"
                ) from exc
            return out.choices[0].message.content or ""

    messages = [
        {"role": "system", "content": render()},
        {"role": "user", "content": f"{INSTRUCTIONS}\n\nQuestion: {question}"},
    ]
    answer = Answer(question)
    attempts = 1 + (settings.ask_retries if retries is None else retries)
    for _ in range(attempts):
        reply = await asyncio.to_thread(complete, messages)
        code = extract_code(reply)
        envelope = await run_script(code, max_calls=max_calls, settings=settings)
        answer.attempts.append(Attempt(code, envelope))
        if envelope.get("ok"):
            break
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": feedback(envelope)}]
    return answer

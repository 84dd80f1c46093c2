"""Timings of the seed system's runtime (fast-agent-ai/card-packs, packs/hf-codemode/monty_api), for
bench/sandbox.py to compare with. Runs under the seed's own venv (pydantic-monty 0.0.14,
huggingface_hub 1.33), never under hubsight's:

    SEED=<checkout>/packs/hf-codemode HF_ENDPOINT=<replica> HF_TOKEN=<token> <seed-venv>/bin/python bench/seed_runtime.py 100

Prints one JSON object: the p50 seconds of each script, and whether each run answered ok.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time

SCRIPTS = {
    "one_call": "async def solve(query, max_calls):\n    resp = await hf_runtime_capabilities()\n    return resp['ok']\n\n"
                "await solve(query, max_calls)",
    "whoami": "async def solve(query, max_calls):\n    resp = await hf_whoami()\n    return resp['ok']\n\n"
              "await solve(query, max_calls)",
}


async def main(runs: int) -> None:
    sys.path.insert(0, os.environ["SEED"])
    from monty_api.query_entrypoints import hf_hub_query_raw

    out: dict[str, object] = {}
    for name, code in SCRIPTS.items():
        for _ in range(10):
            await hf_hub_query_raw(query="benchmark", code=code, max_calls=5)
        samples = []
        env = None
        for _ in range(runs):
            began = time.perf_counter()
            env = await hf_hub_query_raw(query="benchmark", code=code, max_calls=5)
            samples.append(time.perf_counter() - began)
        out[name] = statistics.median(samples)
        out[f"{name}_ok"] = bool(env and env["meta"]["ok"] and env["result"] is True)
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))

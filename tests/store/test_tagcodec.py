"""Tag lists read back exactly as written, whatever they hold, in about a quarter of their JSON."""

from __future__ import annotations

import json

import pytest

from hubsight.store import tagcodec

CASES = [
    pytest.param([], id="empty"),
    pytest.param(["transformers", "safetensors", "license:mit", "region:us"], id="common"),
    pytest.param(["base_model:finetune:org/Name-7B", "base_model:org/Name-7B", "dataset:org/data"], id="relations"),
    pytest.param(["ünïcode", "日本語"], id="unicode"),
    pytest.param([""], id="one empty tag"),
    pytest.param(["a\x1fb", "c"], id="a tag holding the separator"),
    pytest.param(["x"] * 3, id="repeats"),
]


@pytest.mark.parametrize("tags", CASES)
def test_tags_read_back_as_written(tags: list[str]) -> None:
    assert tagcodec.unpack(tagcodec.pack(tags)) == tags


def test_common_tags_take_a_fraction_of_their_json() -> None:
    tags = ["transformers", "safetensors", "llama", "text-generation", "en", "license:apache-2.0",
            "text-generation-inference", "endpoints_compatible", "region:us"]
    assert len(tagcodec.pack(tags)) * 3 < len(json.dumps(tags))


@pytest.mark.parametrize(("payload", "says"), [
    (b"", "empty"), (b"\x09abc", "version 9"), (b"\x01\xff\xfe", "cannot be read"),
])
def test_a_damaged_payload_is_a_clear_error(payload: bytes, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        tagcodec.unpack(payload)

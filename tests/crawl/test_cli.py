"""`hubsight crawl` through the CLI's entry point: one-line errors with exit code 2, a summary line on
success, exit 1 when a source fails. (The README and kill -9 tests run it as a real subprocess.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from hubsight.replica import ReplicaServer
from tests.crawl.conftest import E2E_DAY, E2E_SEED


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "2026-13-01"], "'2026-13-01' is not a date: use YYYY-MM-DD"),
        (["--only", "hub,models"], "unknown source 'models': use one or more of hub, papers, arena"),
        (["--only", ","], "no source given"),
        (["--db", "postgresql://postgres@127.0.0.1:1/nothing"], "cannot open the history store postgresql+psycopg://postgres@127.0.0.1:1/nothing"),
        (["--db", "mysql+nope://x"], "mysql is not a supported store: use sqlite:///"),
        (["--db", "nonsense"], "'nonsense' is not a database URL"),
        (["--endpoint", "localhost:8765"], "must start with http:// or https://"),
        (["--daily", "--at", "7:5"], "'7:5' is not a time of day: use HH:MM (UTC)"),
        (["--at", "07:30"], "--at only applies with --daily"),
        (["--daily", "--date", "2026-11-23"], "--daily crawls each new day: drop --date"),
    ],
)
def test_bad_values_are_one_line_errors_with_exit_code_2(
    args: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hubsight.cli import main

    monkeypatch.setenv("COLUMNS", "250")
    if "--db" not in args:
        args = [*args, "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    assert main(["crawl", *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == "", captured.err
    assert lines[0].startswith("error: ") and needle in lines[0] and "--help" in lines[0]


def test_a_crawl_prints_one_summary_line_and_a_failed_source_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hubsight.cli import main

    db = f"sqlite:///{tmp_path / 'h.db'}"
    outcomes = []
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        for extra in ([], [], ["--date", "2025-01-01"]):
            code = main(["crawl", "--endpoint", replica.url, "--db", db, "--only", "hub", *extra])
            outcomes.append((code, *capsys.readouterr()))
    (ok, ok_out, ok_err), (again, again_out, _), (old, old_out, old_err) = outcomes
    assert ok == 0 and ok_err == ""
    assert ok_out.startswith(f"crawl {E2E_DAY}: hub 3,300 repos (") and ok_out.count("\n") == 1
    assert again == 0 and again_out == f"crawl {E2E_DAY}: hub already stored (--force re-crawls)\n"
    assert old == 1
    assert old_out.startswith("crawl 2025-01-01: hub FAILED (CrawlRefused)")
    assert old_err.startswith("error: hub: hub data for 2025-01-10 is already stored")


def test_an_endpoint_where_nothing_answers_says_to_check_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from hubsight.cli import main

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HUBSIGHT_CRAWL_ATTEMPTS", "2")
    monkeypatch.setenv("HUBSIGHT_CRAWL_BACKOFF_SECONDS", "0.01")
    code = main(["crawl", "--endpoint", f"http://127.0.0.1:{port}", "--db", f"sqlite:///{tmp_path / 'h.db'}", "--only", "hub"])
    out, err = capsys.readouterr()
    assert code == 1 and "hub FAILED (RetriesExhausted)" in out
    assert "check --endpoint (or HF_ENDPOINT) and that the server is up" in err


def test_a_crawl_that_cannot_reach_its_endpoint_says_so_while_retrying_and_gives_up_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from hubsight.cli import main

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HUBSIGHT_CRAWL_ATTEMPTS", "3")
    monkeypatch.setenv("HUBSIGHT_CRAWL_BACKOFF_SECONDS", "0.01")
    monkeypatch.setenv("HUBSIGHT_ARXIV_URL", f"http://127.0.0.1:{port}/arxiv/api/query")
    code = main(["crawl", "--endpoint", f"http://127.0.0.1:{port}", "--db", f"sqlite:///{tmp_path / 'h.db'}"])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    retrying = [line for line in lines if "retrying" in line]
    assert retrying and f"cannot reach http://127.0.0.1:{port}" in retrying[0]
    assert "(attempt 2 of 3, next in " in retrying[0] and " s)" in retrying[0]
    assert not [line for line in retrying if "attempt 4" in line], "no attempt past the budget"
    gave_up = [line for line in lines if "gave up after 3 attempts" in line]
    assert len(gave_up) == 1, f"one line gives up; the other sources do not retry the same host again: {lines}"
    assert all(f"{source} FAILED" in out for source in ("hub", "papers", "arena"))


@pytest.mark.timeout(90)
def test_an_endpoint_that_never_accepts_is_reported_without_waiting_out_the_read_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host that drops connections (a full accept queue here) must not hold each attempt for the
    whole HUBSIGHT_HTTP_TIMEOUT: connecting has a short limit of its own. (Before: 3 sources x 2
    attempts x 30 s, past this test's time limit.)"""
    import contextlib
    import socket

    from hubsight.cli import main

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):  # fill the accept queue: further connections hang in SYN
        c = socket.socket()
        c.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            c.connect(("127.0.0.1", port))
        queued.append(c)
    monkeypatch.setenv("HUBSIGHT_CRAWL_ATTEMPTS", "2")
    monkeypatch.setenv("HUBSIGHT_CRAWL_BACKOFF_SECONDS", "0.01")
    monkeypatch.setenv("HUBSIGHT_HTTP_TIMEOUT", "30")
    monkeypatch.setenv("HUBSIGHT_ARXIV_URL", f"http://127.0.0.1:{port}/arxiv/api/query")
    try:
        code = main(["crawl", "--endpoint", f"http://127.0.0.1:{port}", "--db", f"sqlite:///{tmp_path / 'h.db'}"])
    finally:
        for c in queued:
            c.close()
        listener.close()
    out, err = capsys.readouterr()
    assert code == 1 and "hub FAILED" in out
    assert f"http://127.0.0.1:{port}" in err and "retrying" in err, err


def test_a_store_that_is_not_a_database_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hubsight.cli import main

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"these bytes are not a SQLite database\n" * 200)
    assert main(["crawl", "--db", f"sqlite:///{junk}"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(junk) in lines[0] and "not a database" in lines[0], lines
    assert junk.read_bytes().startswith(b"these bytes"), "the file is left as it was"

"""`normalitet calc FILE|-`: JSON in, JSON out; exit 0, or 2 with {"errors": [...]}."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from normalitet.sentencing.calc_cli import run

CORPUS = Path(__file__).parent / "corpus"
VALID = {
    "start_date": "2024-03-04",
    "sentences": [{"kind": "prison", "length": {"years": 0, "months": 0, "days": 74}}],
}


def call(argv: list[str], stdin: str = "") -> tuple[int, Any]:
    out = io.StringIO()
    code = run(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, json.loads(out.getvalue())


def test_calc_file_prints_the_dates_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    code, out = call([str(path)])
    assert code == 0
    assert out["rule_set"] == "no-2024-1"
    assert out["parole_date"] == "2024-05-02"
    assert out["explanation"]["parole_date"][0]["rule"] == "SGL § 42"


def test_calc_stdin() -> None:
    code, out = call(["-"], json.dumps(VALID))
    assert (code, out["expiry_date"]) == (0, "2024-05-16")


def test_calc_invalid_input_prints_errors_with_the_rule_and_exits_2() -> None:
    data = {**VALID, "sentences": [{"length": {"days": 13}}]}
    code, out = call(["-"], json.dumps(data))
    assert code == 2
    assert out == {
        "errors": [
            {
                "field": "sentences[0].length",
                "message": "The term is 13 days; the minimum is 14 days.",
                "rule": "STRL § 31",
            }
        ]
    }


def test_calc_malformed_json_exits_2_with_a_clean_error() -> None:
    code, out = call(["-"], '{"start_date": ')
    assert code == 2
    (error,) = out["errors"]
    assert (error["field"], error["rule"]) == ("$", "input format")
    assert error["message"].startswith("Malformed JSON")


def test_calc_missing_file_exits_2(tmp_path: Path) -> None:
    code, out = call([str(tmp_path / "missing.json")])
    assert code == 2
    assert out["errors"][0]["message"].startswith("Cannot read")


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"]])
def test_calc_usage_error_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv, stdout=io.StringIO()) == 2
    assert "usage: normalitet calc" in capsys.readouterr().err


def test_calc_help_exits_0() -> None:
    out = io.StringIO()
    assert run(["--help"], stdout=out) == 0
    assert out.getvalue().startswith("usage:")


def test_calc_runs_a_corpus_input_through_the_real_command(tmp_path: Path) -> None:
    case = json.loads((CORPUS / "11-strl-83-14-days-full-isolation-21-days.json").read_text())
    path = tmp_path / "input.json"
    path.write_text(json.dumps(case["input"]), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - fixed command line
        [
            sys.executable,
            "-c",
            "import sys; from normalitet.sentencing.calc_cli import run; "
            "sys.exit(run(sys.argv[1:]))",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    out.pop("explanation")
    assert out == case["expected"]

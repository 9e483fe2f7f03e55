"""`normalitet calc FILE|-`: read the JSON input of issue 3, print every legal date as JSON.

Exit status 0 with the result; 2 with `{"errors": [{"field", "message", "rule"}]}` when the input is
refused (a broken rule, a format error or malformed JSON). Pure: no Django setup is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from normalitet.sentencing.domain import (
    FieldError,
    InvalidInput,
    calculate,
    errors_to_json,
    loads_input,
    result_to_json,
)

USAGE = "usage: normalitet calc FILE|-\n"


def _print(data: dict[str, Any], stdout: TextIO) -> None:
    stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def run(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the command with `argv` = [FILE] (or ["-"] for standard input); return the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        (stdout if argv in (["-h"], ["--help"]) else sys.stderr).write(USAGE)
        return 0 if argv in (["-h"], ["--help"]) else 2
    source = argv[0]
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = FieldError("$", f"Cannot read {source}: {exc}", "input format")
        _print(errors_to_json([error]), stdout)
        return 2
    try:
        result = calculate(loads_input(text))
    except InvalidInput as exc:
        _print(errors_to_json(exc.errors), stdout)
        return 2
    _print(result_to_json(result), stdout)
    return 0

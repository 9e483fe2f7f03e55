"""Benchmark of the pure release-date engine (issue 3: at least 20,000 calculations per second on
one core). Prints JSON: the figure and how it was measured (machine, Python, command).

The workload is every valid worked case of the public corpus (tests/sentencing/corpus), parsed
once and calculated round-robin: prison sentences from 28 days to 30 years, remand with
isolation, clock changes, interruptions, preventive detention with extensions and refusals.
A calculation is `calculate(input)`: validation, deduction, every date and its explanation
steps. Serialising the result to JSON (for the CLI and API) is measured separately.

    uv run python bench/bench_engine.py [--seconds 2] [--repeats 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from normalitet.sentencing.domain import (
    CalculationInput,
    calculate,
    parse_input,
    result_to_json,
)

TARGET_PER_SECOND = 20_000
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "sentencing" / "corpus"


def workload() -> list[CalculationInput]:
    """The valid corpus inputs, parsed once."""
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.json"))]
    return [parse_input(case["input"]) for case in cases if "expected" in case]


def _pin_to_one_core() -> int | None:
    """Run on a single CPU where the OS allows it; return which one."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = sorted(os.sched_getaffinity(0))[-1]
    os.sched_setaffinity(0, {cpu})
    return cpu


def _rate(
    func: Callable[[CalculationInput], Any], inputs: list[CalculationInput], seconds: float
) -> float:
    """Calculations per second over about `seconds`, whole rounds of the workload."""
    rounds, started = 0, time.perf_counter()
    while True:
        for inp in inputs:
            func(inp)
        rounds += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return rounds * len(inputs) / elapsed


def _measure(
    func: Callable[[CalculationInput], Any],
    inputs: list[CalculationInput],
    seconds: float,
    repeats: int,
) -> dict[str, float]:
    _rate(func, inputs, min(seconds, 0.5))  # warm up
    gc.collect()
    rates = [_rate(func, inputs, seconds) for _ in range(repeats)]
    return {
        "median": round(statistics.median(rates)),
        "best": round(max(rates)),
        "worst": round(min(rates)),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each repeat")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    inputs = workload()
    cpu = _pin_to_one_core()
    engine = _measure(calculate, inputs, args.seconds, args.repeats)
    with_json = _measure(
        lambda inp: result_to_json(calculate(inp)), inputs, args.seconds / 2, args.repeats
    )
    report = {
        "calculations_per_second": engine["median"],
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": engine["median"] >= TARGET_PER_SECOND,
        "engine": engine,
        "engine_with_json_output": with_json,
        "workload": {"cases": len(inputs), "source": "tests/sentencing/corpus (valid cases)"},
        "how": {
            "command": " ".join(["uv run python bench/bench_engine.py", *(argv or sys.argv[1:])]),
            "seconds_per_repeat": args.seconds,
            "repeats": args.repeats,
            "statistic": "median of repeats",
            "pinned_to_cpu": cpu,
            "machine": {
                "cpu": _cpu_model(),
                "logical_cpus": os.cpu_count(),
                "system": platform.platform(),
                "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            },
            "python": {
                "implementation": platform.python_implementation(),
                "version": platform.python_version(),
                "executable": sys.executable,
            },
        },
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

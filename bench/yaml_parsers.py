"""Faster YAML parsers than PyYAML, judged for what apilint needs: the same data, source positions
for findings, limits against alias bombs, and speed.

    pip install rapidyaml yaml-rs ryaml pyyaml-rs ruamel.yaml   # the candidates (not dependencies)
    python bench/yaml_parsers.py                                # GitHub's description as YAML
    python bench/yaml_parsers.py --file ../shared/corpus/large/stripe.com.yaml --runs 5

Correctness: the data each parser returns is compared with the JSON twin of the same description
(json.load of the .json file next to it in the corpus). Positions: whether the parser can say
where a value is written (apilint reports file:line:column for every finding). A parser that is
fast but wrong, or has no positions, cannot replace apilint's loader.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _apilint(text: str) -> Any:
    from apilint.documents.yaml_source import parse_yaml

    return parse_yaml(text, "bench.yaml").data


def _pyyaml_c(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=yaml.CSafeLoader)


def _pyyaml_compose(text: str) -> Any:
    import yaml

    return yaml.compose(text, Loader=yaml.CSafeLoader)  # nodes with marks, no data


def _yaml_rs(text: str) -> Any:
    import yaml_rs

    return yaml_rs.loads(text)


def _ryaml(text: str) -> Any:
    import ryaml

    return ryaml.loads(text)


def _pyyaml_rs(text: str) -> Any:
    import pyyaml_rs

    return pyyaml_rs.safe_load(text)


def _ruamel(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False).load(text)


def _rapidyaml(text: str) -> Any:
    import ryml

    tree = ryml.parse_in_arena(text.encode("utf-8"))
    return tree  # a C++ tree; turning it into Python objects needs a walk per node


# name -> (parse function, positions available?, note)
PARSERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "apilint (libyaml events)": (_apilint, "yes: every member and item, recorded while parsing"),
    "PyYAML CSafeLoader load": (_pyyaml_c, "no (the data has none)"),
    "PyYAML CSafeLoader compose": (_pyyaml_compose, "yes (node marks), but no data"),
    "yaml-rs": (_yaml_rs, "no"),
    "ryaml": (_ryaml, "no"),
    "pyyaml-rs": (_pyyaml_rs, "no"),
    "ruamel.yaml (safe, C)": (_ruamel, "no for typ=safe (round-trip mode has .lc, pure Python)"),
    "rapidyaml": (_rapidyaml, "yes (ryml locations), but only a C++ tree: no Python data"),
}


def _normalize(value: Any) -> Any:
    """Keys as JSON strings, so that YAML's 200: and JSON's "200" compare equal."""
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=CORPUS / "github" / "api.github.com.yaml")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"not found: {args.file}", file=sys.stderr)
        return 2
    text = args.file.read_text(encoding="utf-8")
    twin = args.file.with_suffix(".json")
    expected = json.loads(twin.read_text(encoding="utf-8")) if twin.exists() else None
    print(f"{args.file.name}: {len(text) / 1e6:.1f} MB, median of {args.runs} runs\n")
    print("| parser | seconds | same data as the JSON twin | source positions |")
    print("|---|---|---|---|")
    for name, (parse, positions) in PARSERS.items():
        try:
            times = []
            result: Any = None
            for _ in range(args.runs):
                start = time.perf_counter()
                result = parse(text)
                times.append(time.perf_counter() - start)
        except ImportError:
            print(f"| {name} | not installed | | |")
            continue
        except Exception as exc:  # a parser that fails is a result too
            print(f"| {name} | failed: {type(exc).__name__}: {str(exc)[:60]} | | |")
            continue
        if expected is None or not isinstance(result, (dict, list)):
            same = "n/a"
        else:
            same = "yes" if _normalize(result) == expected else "NO"
        print(f"| {name} | {statistics.median(times):.2f} | {same} | {positions} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Configuration: ``apilint.yaml``, ``.apilint.yaml`` or ``[tool.apilint]`` in pyproject.toml,
found by walking up from the working directory, or named with ``--config``.

Every key is checked: an unknown key, an unknown rule id or a bad value is an error that names it,
never a silent no-op. Example::

    extends: [./our-rules.yaml]       # user rulesets (same format as rules/*.yaml)
    select: [all]                     # rule ids, families (ruleset names) or "all"
    extend-select: [some-opt-in-rule]
    ignore: [path-nesting-depth]
    rules:
      path-casing: {severity: error, options: {style: snake}}
      trailing-slash-consistency: off
    fail-on: warning                  # error | warning | info | never
    ref-root: ..                      # where relative $refs may read files from
    allow-remote-refs: false
    max-file-size: 64MB               # resource limits; each has a --flag of the same name
    max-depth: 250                    # nesting of objects and arrays
    max-nodes: 5000000                # YAML nodes after alias expansion
    max-ref-hops: 64                  # $refs followed in a row
    exclude: ["vendor/**"]            # skipped in directories (named files: --force-exclude)
    overrides:
      - paths: ["/legacy/**"]         # API path templates; ** spans segments
        ignore: [path-verb]
        rules: {path-casing: info}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apilint.core.errors import ConfigError, read_problem
from apilint.documents.loader import LoadOptions

CONFIG_NAMES = ("apilint.yaml", ".apilint.yaml", "apilint.yml", ".apilint.yml")
SPECTRAL_NAMES = (".spectral.yaml", ".spectral.yml", ".spectral.json")
"""What Spectral looks for in the working directory when no ruleset is named."""
FAIL_ON = ("error", "warning", "info", "never")
KEYS = frozenset(
    {
        "extends",
        "select",
        "extend-select",
        "ignore",
        "rules",
        "fail-on",
        "ref-root",
        "allow-remote-refs",
        "max-file-size",
        "max-depth",
        "max-nodes",
        "max-ref-hops",
        "exclude",
        "overrides",
    }
)
OVERRIDE_KEYS = frozenset({"paths", "files", "ignore", "rules"})
RULE_SETTING_KEYS = frozenset({"severity", "options"})


@dataclass(frozen=True)
class RuleSetting:
    severity: str | None = None  # as written: error | warning | info | off
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, RuleSetting] = field(default_factory=dict)


@dataclass
class Config:
    source: Path | None = None
    extends: list[Path] = field(default_factory=list)
    spectral_rulesets: list[Path] = field(default_factory=list)
    """Spectral rulesets named with --ruleset or found as .spectral.yaml (read as Spectral's)."""
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    fail_on: str = "error"
    ref_root: Path | None = None
    allow_remote_refs: bool = False
    max_file_size: int | None = None
    max_depth: int | None = None
    max_nodes: int | None = None
    max_ref_hops: int | None = None
    exclude: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    keys: frozenset[str] = frozenset()
    """The keys the config file sets (``--show-settings`` says where each value came from)."""


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from ``start`` (default: the working directory) upwards."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "[tool.apilint" not in text:
        return False
    import tomllib  # only when a pyproject.toml mentions apilint

    try:
        return "apilint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Read ``path``, or the discovered config file, or return the defaults."""
    if path is None:
        if not discover:
            return Config()
        path = find_config()
        if path is None:
            return Config()
    path = path.resolve()
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("apilint")
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {read_problem(exc)}") from None
        if data is None:
            raise ConfigError(f"{path}: no [tool.apilint] section")
    else:
        import yaml  # only for a YAML config: a run without one never loads the parser

        try:
            data = yaml.load(
                path.read_text(encoding="utf-8"),
                Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
            )
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            raise ConfigError(
                f"{path}{at}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {read_problem(exc)}") from None
        if data is None:
            data = {}
    return parse_config(data, path)


def parse_config(data: Any, source: Path) -> Config:
    where = str(source)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(KEYS))})")
    base = source.parent
    config = Config(source=source, keys=frozenset(str(key) for key in data))
    config.extends = [base / p for p in _strings(data.get("extends", []), where, "extends")]
    if "select" in data:
        config.select = _strings(data["select"], where, "select")
    config.extend_select = _strings(data.get("extend-select", []), where, "extend-select")
    config.ignore = _strings(data.get("ignore", []), where, "ignore")
    config.rules = _rule_settings(data.get("rules", {}), where)
    fail_on = data.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    config.fail_on = fail_on
    if "ref-root" in data:
        if not isinstance(data["ref-root"], str):
            raise ConfigError(f"{where}: ref-root must be a directory path")
        config.ref_root = (base / data["ref-root"]).resolve()
        if not config.ref_root.is_dir():
            raise ConfigError(f"{where}: ref-root {config.ref_root} is not an existing folder")
    remote = data.get("allow-remote-refs", False)
    if not isinstance(remote, bool):
        raise ConfigError(f"{where}: allow-remote-refs must be true or false")
    config.allow_remote_refs = remote
    if "max-file-size" in data:
        config.max_file_size = parse_size(data["max-file-size"], f"{where}: max-file-size")
    for key in ("max-depth", "max-nodes", "max-ref-hops"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: {key} must be a positive whole number, not {value!r}")
            setattr(config, key.replace("-", "_"), value)
    config.exclude = _strings(data.get("exclude", []), where, "exclude")
    overrides = data.get("overrides", [])
    if not isinstance(overrides, list):
        raise ConfigError(f"{where}: overrides must be a list")
    for index, item in enumerate(overrides):
        at = f"{where}: overrides[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{at} must be a mapping")
        unknown = sorted(set(item) - OVERRIDE_KEYS)
        if unknown:
            raise ConfigError(
                f"{at}: unknown key '{unknown[0]}' (known: {', '.join(sorted(OVERRIDE_KEYS))})"
            )
        if "paths" not in item and "files" not in item:
            raise ConfigError(f"{at}: needs 'paths' (API path templates) or 'files' (spec files)")
        config.overrides.append(
            Override(
                paths=tuple(_strings(item.get("paths", []), at, "paths")),
                files=tuple(_strings(item.get("files", []), at, "files")),
                ignore=tuple(_strings(item.get("ignore", []), at, "ignore")),
                rules=_rule_settings(item.get("rules", {}), at),
            )
        )
    return config


def _strings(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{where}: '{key}' must be a list of strings")


def _rule_settings(value: Any, where: str) -> dict[str, RuleSetting]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'rules' must be a mapping of rule id to settings")
    out: dict[str, RuleSetting] = {}
    for rule_id, setting in value.items():
        at = f"{where}: rules.{rule_id}"
        if setting is None:
            raise ConfigError(
                f"{at}: no value; write off, a severity (error, warning, info) or a mapping "
                "with severity/options"
            )
        if setting is False:
            out[str(rule_id)] = RuleSetting(severity="off")
        elif isinstance(setting, str):
            out[str(rule_id)] = RuleSetting(severity=setting)
        elif isinstance(setting, dict):
            unknown = sorted(set(setting) - RULE_SETTING_KEYS)
            if unknown:
                raise ConfigError(f"{at}: unknown key '{unknown[0]}' (known: options, severity)")
            severity = setting.get("severity")
            if severity is not None and not isinstance(severity, str):
                raise ConfigError(f"{at}: severity must be error, warning, info or off")
            options = setting.get("options", {})
            if not isinstance(options, dict):
                raise ConfigError(f"{at}: options must be a mapping")
            out[str(rule_id)] = RuleSetting(severity=severity, options=dict(options))
        else:
            raise ConfigError(f"{at}: expected a severity or a mapping with severity/options")
    return out


def limits(
    config: Config,
    *,
    max_file_size: int | None = None,
    max_depth: int | None = None,
    max_nodes: int | None = None,
    max_ref_hops: int | None = None,
) -> LoadOptions:
    """The loader's resource limits: command-line values, else the config's, else the defaults."""
    default = LoadOptions()
    return LoadOptions(
        max_file_size=max_file_size or config.max_file_size or default.max_file_size,
        max_depth=max_depth or config.max_depth or default.max_depth,
        max_nodes=max_nodes or config.max_nodes or default.max_nodes,
        max_ref_hops=max_ref_hops or config.max_ref_hops or default.max_ref_hops,
    )


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*\Z")


def parse_size(value: Any, where: str) -> int:
    """Bytes from ``123``, ``"64MB"``, ``"512k"``."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
            size = int(float(match.group(1)) * factor)
            if size > 0:
                return size
    raise ConfigError(
        f"{where}: expected a size like 64MB, 512k or a number of bytes, not {value!r}"
    )

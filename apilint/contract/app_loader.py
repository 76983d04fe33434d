"""``--app``: import a WSGI or ASGI application to test in-process, without a server.

Two spellings, as uvicorn and gunicorn users expect::

    --app thoughts.app:app             # a module importable from the working directory
    --app examples/thoughts/app.py:app # a file
    --app thoughts.app:create_app()    # a factory, called with no arguments

Failures (no such module, an import that raises, a missing attribute, something that is not an
application) are one-line errors.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
from pathlib import Path
from typing import Any

from apilint.core.errors import ConfigError


def load_app(spec: str) -> Any:
    target, sep, attribute = spec.rpartition(":")
    if not sep or not target or not attribute:
        raise ConfigError(
            f"--app must look like module:attribute or path/to/file.py:attribute, not {spec!r}"
        )
    call = attribute.endswith("()")
    name = attribute[:-2] if call else attribute
    if not name.replace(".", "_").isidentifier():
        raise ConfigError(f"--app {spec}: {attribute!r} is not an attribute name")
    module = _import(target, spec)
    obj: Any = module
    for part in name.split("."):
        if not hasattr(obj, part):
            raise ConfigError(f"--app {spec}: {target} has no attribute {name!r}")
        obj = getattr(obj, part)
    if call:
        try:
            obj = obj()
        except Exception as exc:
            raise ConfigError(f"--app {spec}: calling {name}() raised {_describe(exc)}") from None
    if not callable(obj) or inspect.ismodule(obj):
        raise ConfigError(f"--app {spec}: {name} is not a WSGI or ASGI application")
    return obj


def is_asgi(app: Any) -> bool:
    from schemathesis.transport import is_asgi_app

    return bool(is_asgi_app(app))


def _import(target: str, spec: str) -> Any:
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)  # as `python -m` and uvicorn do: the project's own modules
    if target.endswith(".py") or os.sep in target or "/" in target:
        path = Path(target)
        if not path.is_file():
            raise ConfigError(f"--app {spec}: no such file {target}")
        module_name = f"_apilint_app_{abs(hash(str(path.resolve())))}"
        directory = str(path.resolve().parent)
        if directory not in sys.path:
            sys.path.insert(0, directory)  # so the file's sibling modules import
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        if loader_spec is None or loader_spec.loader is None:
            raise ConfigError(f"--app {spec}: cannot import {target}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        try:
            loader_spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop(module_name, None)
            raise ConfigError(f"--app {spec}: importing {target} raised {_describe(exc)}") from None
        return module
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and (target == exc.name or target.startswith(exc.name + ".")):
            raise ConfigError(
                f"--app {spec}: no module named {exc.name!r} (run from the project's directory, "
                "or give a file path)"
            ) from None
        raise ConfigError(f"--app {spec}: importing {target} raised {_describe(exc)}") from None
    except Exception as exc:
        raise ConfigError(f"--app {spec}: importing {target} raised {_describe(exc)}") from None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__

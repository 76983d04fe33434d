"""One configuration for every command: ``apilint.yaml``, ``.apilint.yaml`` or
``[tool.apilint]`` in ``pyproject.toml``, each key checked. Rule ids are checked by the lint
engine, which reads the config, never the other way round.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`."""

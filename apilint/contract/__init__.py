"""``apilint contract``: test a running service (or an in-process app) against its description.

Two sources of findings, one report:

- apilint's own redirect probes (:mod:`apilint.contract.probes`): every operation's path as
  documented and its other trailing-slash form, redirects recorded hop by hop, never followed to
  another origin;
- property-based fuzzing with Schemathesis (:mod:`apilint.contract.runner`), its checks mapped to
  apilint finding ids (:mod:`apilint.contract.rules`).

Importing this package is cheap: Schemathesis is imported only when a contract run starts.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`,
:mod:`apilint.reports`, :mod:`apilint.settings`, :mod:`apilint.lint` (the rule registry).
"""

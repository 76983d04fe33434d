"""The lint engine: rulesets as data (:mod:`.rulesets`, :mod:`.rule_docs`), JSONPath givens
(:mod:`.jsonpath`), the engine that runs checks and applies severities, suppressions and
overrides (:mod:`.engine`), how inline suppressions are read (:mod:`.ignores`), the check
functions (:mod:`.checks`, one module per rule family), baselines (:mod:`.baseline`) and
parallel runs (:mod:`.parallel`, :mod:`.split`).

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`,
:mod:`apilint.reports`, :mod:`apilint.settings`."""

"""The command line: one thin click module per command (:mod:`.main` holds ``lint`` and
``rules``; :mod:`.contract`, :mod:`.traffic` the others), the options they share (:mod:`.options`)
and where their reports go (:mod:`.output`). No checking happens here.

Importing this package sets the cycle collector's thresholds the command line runs with (see
:func:`apilint.cli.main.main`), before click and the rest are imported: their thousands of
long-lived objects are then not rescanned dozens of times on the way (a few milliseconds of
every run, which pre-commit pays on each commit).

May import: everything of apilint."""

import gc

gc.set_threshold(100_000, 50, 100)

"""The command line: one thin click module per command (:mod:`.main` holds ``lint`` and
``rules``; :mod:`.contract`, :mod:`.traffic` the others), the options they share (:mod:`.options`)
and where their reports go (:mod:`.output`). No checking happens here.

May import: everything of apilint."""

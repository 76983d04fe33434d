"""``apilint diff``: the changes between two versions of a description that break clients.

``sides`` turns what the user named (a file, a directory, ``REV:PATH`` from git) into files on
disk; ``compare`` and ``schemas`` compare two loaded descriptions into ``changes``; ``run`` turns
those into Findings (severities from rules/diff.yaml and the config, ``x-apilint-ignore``);
:mod:`apilint.cli.diff` is the click front end; nothing here imports click.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`,
:mod:`apilint.reports`, :mod:`apilint.settings`, :mod:`apilint.lint` (the rule registry).
"""

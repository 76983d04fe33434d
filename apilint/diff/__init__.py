"""``apilint diff``: the changes between two versions of a description that break clients.

``sides`` turns what the user named (a file, a directory, ``REV:PATH`` from git) into files on
disk; ``compare`` and ``schemas`` compare two loaded descriptions into ``changes``; ``run`` turns
those into Findings (severities from rules/diff.yaml and the config, ``x-apilint-ignore``);
``cli`` is the click front end. Nothing here but ``cli`` imports click.
"""

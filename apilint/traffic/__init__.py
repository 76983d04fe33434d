"""``apilint traffic``: what an access log says about an API, read against its OpenAPI description.

The pipeline, one module each, lowest layer first:

- :mod:`~apilint.traffic.sources` opens the logs (plain, gzip, standard input) as lines of text;
- :mod:`~apilint.traffic.logformats` turns a line into (method, target, status, duration) for each
  supported format and recognises the format of a file from its first lines;
- :mod:`~apilint.traffic.matcher` maps a request to the operation of the description that serves it
  (servers' base paths, path templates, trailing-slash variants);
- :mod:`~apilint.traffic.templating` groups the paths of undocumented requests (``/users/8412`` ->
  ``/users/{id}``);
- :mod:`~apilint.traffic.histogram` keeps latency percentiles in bounded memory;
- :mod:`~apilint.traffic.aggregate` streams the requests into per-operation tallies;
- :mod:`~apilint.traffic.report` turns the tallies into findings and the report's tables;
- :mod:`~apilint.reports.traffic_text` and :mod:`~apilint.reports.traffic_html` render them;
- :mod:`~apilint.cli.traffic` is the ``apilint traffic`` command.

Nothing here keeps a record per request: memory depends on the number of operations and of
distinct undocumented endpoints (which is capped), never on the length of the logs.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`,
:mod:`apilint.reports`, :mod:`apilint.settings`, :mod:`apilint.lint` (the rule registry).
"""

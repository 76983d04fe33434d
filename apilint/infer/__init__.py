"""``apilint infer``: a first OpenAPI description from access logs.

The pipeline, one module each, lowest layer first:

- :mod:`~apilint.infer.stamps` reads each log line's timestamp (for first/last seen), per format;
- :mod:`~apilint.infer.observe` streams the requests of the logs (read through
  :mod:`apilint.traffic.sources` and :mod:`apilint.traffic.logformats`, so every format and input
  ``apilint traffic`` reads) into one tally per (method, path shape), ids already folded into
  typed markers (``/users/8412`` -> ``/users/<integer>``), query parameters counted;
- :mod:`~apilint.infer.shapes` cleans the tallies up (OPTIONS out, HEAD folded into GET,
  trailing-slash redirect pairs resolved, paths the server only refused left out) and turns
  the remaining paths into templates (:mod:`~apilint.infer.templates`);
- :mod:`~apilint.infer.document` writes the OpenAPI 3.1 description, or merges into an existing
  one (:mod:`~apilint.infer.merge`);
- :mod:`~apilint.infer.run` puts it together (logs in, a description out) and
  :mod:`~apilint.cli.infer` is the ``apilint infer`` command.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents`,
:mod:`apilint.reports`, :mod:`apilint.settings`, :mod:`apilint.lint`, :mod:`apilint.traffic`
(its log reading and templating).
"""

"""What HTTP and URIs mean, defined once: methods and their semantics (:mod:`.methods`), path
templates taken apart, matched and classified (:mod:`.paths`), and the one vocabulary of words in
paths and operation names (:mod:`.words`).

May import: :mod:`apilint.core`."""

"""Reading descriptions: bytes to text (:mod:`.loader`, with its limits), YAML and JSON with
source positions (:mod:`.yaml_source`, :mod:`.json_source`), ``$ref`` resolution (:mod:`.refs`),
the OpenAPI view every command works on (:mod:`.openapi`), and finding descriptions on disk
(:mod:`.discovery`) and in git revisions (:mod:`.git`).

May import: :mod:`apilint.core`, :mod:`apilint.http`."""

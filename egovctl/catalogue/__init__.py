"""The catalogue of service procedures (``egovctl procedure``, ``egovctl agency``).

- ``schema``: what a valid agency or procedure document is (pydantic), its JSON Schema
- ``yaml_events``, ``yaml_positions``: generic YAML reading with FILE:LINE:COLUMN positions
- ``load``: catalogue files → validated documents, every problem located; ``messages`` words
  the problems, ``checks`` adds the checks across documents and the warnings
- ``store``: import (all or nothing, versioned) and retire/reactivate
- ``queries``: agencies and procedures by code, listed and shown
- ``dump``: the catalogue written back as YAML (``procedure export``)
"""

"""The catalogue of service procedures: YAML schema and sources, storage, export."""

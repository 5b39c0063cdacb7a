"""Alembic migrations. HEAD names the newest revision; a test checks it against the scripts,
so a command can verify the schema without loading Alembic."""

HEAD = "0014"
KNOWN_REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0012", "0013", "0014",
)  # fmt: skip

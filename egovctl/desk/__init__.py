"""The counter desk (docs/desk.md): the prompts of ``request log`` and ``egovctl desk``, one
session for a whole shift. A terminal layer like ``commands/``: it reads what the clerk types
or scans, calls the same domain functions as the commands, and prints with Rich."""

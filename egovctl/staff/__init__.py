"""Staff members, who may do what, and the hash-chained audit log."""

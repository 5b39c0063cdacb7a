"""Service requests: the status machine, due dates in working days, the office calendar."""

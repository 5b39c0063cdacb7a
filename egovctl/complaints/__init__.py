"""Complaints (pengaduan): the register, its handling and deadlines (docs/complaints.md)."""

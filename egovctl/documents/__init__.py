"""Printed documents: the data each needs, Jinja rendering, HTML and PDF."""

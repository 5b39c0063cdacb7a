"""Printed documents (docs/printing.md): ``printing`` gathers the data each document needs and
``announcement`` reads a Markdown notice; ``render`` runs the templates in a sandbox with the
``filters``; ``images`` checks and embeds pictures; ``pdf`` lays the HTML out with WeasyPrint;
``context`` types what each template receives (described for authors in templates/README.md)."""

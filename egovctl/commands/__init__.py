"""One Typer sub-app per noun. Thin wrappers: parse options, call one domain function, print."""

"""Allow ``python -m egovctl``."""

from egovctl.cli import main

if __name__ == "__main__":
    main()

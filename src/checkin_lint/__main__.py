"""Allow ``python -m checkin_lint``."""

from checkin_lint.cli import main

if __name__ == "__main__":
    main()

"""The `mawa` console script: Django's management commands with Mawa's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (needs settings)

    execute_from_command_line(["mawa", *sys.argv[1:]])


if __name__ == "__main__":
    main()

"""The `digitalcov` console script: the project's manage.py (every management command is here,
including `digitalcov serve`). A command may be written with hyphens, as people type them
(`digitalcov simulate-sensors` runs `simulate_sensors`)."""

import os
import sys


def command_name(argv: list[str]) -> list[str]:
    """`argv` with a hyphenated command name turned into the Django command it names, when there is one
    and no command is called by the hyphenated name itself."""
    if len(argv) < 2 or argv[1].startswith("-") or "-" not in argv[1]:
        return argv
    import django
    from django.core.management import get_commands

    # get_commands() is cached, and before set-up it sees only Django's own commands.
    django.setup()
    commands = get_commands()
    underscored = argv[1].replace("-", "_")
    if argv[1] not in commands and underscored in commands:
        return [argv[0], underscored, *argv[2:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalcov.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_name(sys.argv))


if __name__ == "__main__":
    main()

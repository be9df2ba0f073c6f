#!/usr/bin/env python
import os
import secrets
import sys

# Commands that read only the code and sign nothing may run without the deployment's key:
# a one-off random key cannot validate anything an attacker made.
KEYLESS_COMMANDS = {"makemigrations", "help"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    if sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

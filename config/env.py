"""Local settings from a `.env` file, for every entry point.

Settings (so manage.py, the Huey worker, run_bot and wsgi) and the gunicorn
config call `load_env_file` before reading anything. Variables that are really
set in the environment always win: on a host the platform's variables are the
truth and a stray `.env` must not change them. An empty value in the file
means "the default", as in `.env.example`, so it is not set at all.
ENV_FILE names another file; the tests point it at an empty one so a
developer's `.env` cannot leak in.
"""
import os
from pathlib import Path

from dotenv import dotenv_values

BASE_DIR = Path(__file__).resolve().parent.parent


def env_file() -> Path:
    return Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")


def load_env_file() -> None:
    """Copy the env file's non-empty values into os.environ where nothing is set yet."""
    for name, value in dotenv_values(env_file()).items():
        if value:
            os.environ.setdefault(name, value)

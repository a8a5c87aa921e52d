"""Local settings from a `.env` file, for every entry point.

Settings (so manage.py, the Huey worker, run_bot and wsgi) and the gunicorn
config call `load_env_file` before reading anything. Variables that are really
set in the environment always win: on a host the platform's variables are the
truth and a stray `.env` must not change them. ENV_FILE names another file;
the tests point it at an empty one so a developer's `.env` cannot leak in.
"""
import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


def env_file() -> Path:
    return Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")


def load_env_file() -> bool:
    """Read the env file into os.environ without overriding anything set; False if there is none."""
    return load_dotenv(env_file(), override=False)

"""The production gunicorn config (config/gunicorn.py) without gc.freeze() in post_fork,
for bench/experiments.py only: what does the freeze change?"""
from config.gunicorn import *  # noqa: F401,F403


def post_fork(server, worker):
    pass

"""The project's Huey instance, built by djhuey from settings.HUEY.

SqliteHuey in var/ by default, RedisHuey when REDIS_URL is set (see settings);
`python manage.py run_huey` runs its consumer. Import it from here rather than
from djhuey so the task modules do not depend on where it is configured.
"""
from huey.contrib.djhuey import HUEY as huey  # noqa: N811

__all__ = ["huey"]

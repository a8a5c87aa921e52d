"""One log format for every process (web, worker, bot): key=value lines with
one clock, UTC in ISO-8601, so lines from different processes sort and match.

Django's settings and gunicorn's `logconfig_dict` both use `logging_config`,
so gunicorn's own lines and its access log look like the application's.
"""
import logging
import time

# Huey's per-task INFO lines: every minute for the periodic sync, even when it has nothing to do.
ROUTINE_HUEY_MESSAGES = frozenset({"Enqueueing periodic task %s.", "Executing %s", "%s executed in %0.3fs",
                                   "Added task %s to schedule, eta %s"})


class UtcIsoFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


def not_a_routine_task_line(record: logging.LogRecord) -> bool:
    return not (record.levelno == logging.INFO and record.msg in ROUTINE_HUEY_MESSAGES)


def not_a_404(record: logging.LogRecord) -> bool:
    # The access log already has one line per 404; Django's "Not Found" warning would be a second.
    return getattr(record, "status_code", None) != 404


def logging_config(level: str = "INFO") -> dict:
    prefix = "time=%(asctime)s level=%(levelname)s logger=%(name)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.middleware.RequestIdFilter"},
            "quiet_huey": {"()": "django.utils.log.CallbackFilter", "callback": not_a_routine_task_line},
            "not_404": {"()": "django.utils.log.CallbackFilter", "callback": not_a_404},
        },
        "formatters": {
            # key=value lines: greppable by request id, parseable by any log shipper.
            "plain": {"()": UtcIsoFormatter, "format": prefix + " request_id=%(request_id)s msg=%(message)s"},
            # gunicorn's access line carries its own request_id=... (see access_log_format).
            "access": {"()": UtcIsoFormatter, "format": prefix + " %(message)s"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain",
                        "filters": ["request_id", "quiet_huey", "not_404"]},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default adds a second, unformatted console handler under DEBUG.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "WARNING"},
            # run_huey adds a handler of its own unless this logger has one: every line would be printed twice.
            "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }

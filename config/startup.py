"""What an entry point says when the configuration cannot work: one line that
names the variable to fix, not a traceback through Django's internals."""
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured


def database_address() -> str:
    """Where DATABASE_URL points, without its password."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite file {params['NAME']}"
    host, port = params.get("HOST") or "localhost", params.get("PORT") or "default port"
    return f"{connection.vendor} at {host}:{port}/{params.get('NAME')}"


def database_problem() -> str:
    """Why the database cannot be reached, in one line; empty when it answers."""
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"cannot reach the database ({database_address()}): {reason}. Check DATABASE_URL."
    return ""


def web_ready_lines(listening_on: str) -> list[tuple[int, str]]:
    """(log level, line): where to go once the web server is up, and what to do first on a fresh database."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    base = listening_on.replace("//0.0.0.0:", "//127.0.0.1:").rstrip("/")
    lines = [(logging.INFO,
              f"Serving {base}/ : Django admin {base}/admin/ , GraphiQL {base}/graphql/ , health {base}/healthz")]
    problem = database_problem()
    if problem:
        # Serving anyway: a database that comes back later needs no restart, and /healthz tells the balancer.
        lines.append((logging.WARNING, f"Web server is up but {problem} /healthz answers 503 until it does."))
        return lines
    try:
        pending_migrations = unmigrated()
        has_staff = not pending_migrations and get_user_model().objects.filter(is_staff=True).exists()
    finally:
        connection.close()  # opened in the master process: forked workers must not share it
    if pending_migrations:
        lines.append((logging.WARNING, "Next: `python manage.py migrate` (the database is not migrated)."))
    elif not has_staff:
        lines.append((logging.INFO, "Next: `make seed` (python manage.py seed_demo) prints a staff login and adds "
                                    "demo data; or `python manage.py createsuperuser`."))
    return lines


def unmigrated() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@contextmanager
def exit_on_bad_configuration(program: str) -> Iterator[None]:
    """Turn a broken setting, an unreachable database or one never migrated into one line on stderr
    and a non-zero exit."""
    from django.db import OperationalError, ProgrammingError

    try:
        yield
    except ImproperlyConfigured as error:
        sys.exit(f"{program}: {error}")
    except (OperationalError, ProgrammingError):
        problem = database_problem()
        if problem:
            sys.exit(f"{program}: {problem}")
        if unmigrated():
            sys.exit(f"{program}: the database ({database_address()}) is not migrated: "
                     "run `python manage.py migrate` (make run does).")
        raise  # the database answers and is current: some other failure, keep its traceback

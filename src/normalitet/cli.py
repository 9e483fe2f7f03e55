"""The `normalitet` command: demo, serve, seed, calc, audit verify, apitoken, syncroles, manage."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def _setup(settings: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings or "normalitet.config.settings.dev")
    import django

    django.setup()


def ensure_assets(quiet: bool = False) -> None:
    """Install the front-end packages (Designsystemet, HTMX) from npm if they are missing."""
    from django.conf import settings

    node_modules = Path(settings.NODE_MODULES)
    marker = node_modules / "@digdir" / "designsystemet-css" / "dist"
    if marker.exists():
        return
    project = node_modules.parent
    npm = shutil.which("npm")
    if npm is None or not (project / "package.json").exists():
        sys.exit(
            "The front-end assets are missing and npm is not available. Install Node.js and run "
            "`npm ci` in the project folder."
        )
    if not quiet:
        print("Installing front-end assets with npm …", flush=True)
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=project, check=True
    )


def _migrate() -> None:
    """Migrate both databases: the main one and the health service's own."""
    from django.core.management import call_command

    _ensure_health_database()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="health", interactive=False, verbosity=0)


def _ensure_health_database() -> None:
    """On PostgreSQL, make the health service's database if it is missing and the main
    database's role may (development and demo; production provisions it with its own role)."""
    from django.db import connections
    from django.db.utils import OperationalError

    health = connections["health"]
    if health.vendor != "postgresql":
        return
    try:
        health.ensure_connection()
    except OperationalError:
        name = health.settings_dict["NAME"]
        with connections["default"].cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        print(f"Created the health database {name}.", flush=True)


def _has_data() -> bool:
    from normalitet.people.models import Person

    return Person.objects.exists()


def cmd_demo(args: argparse.Namespace) -> int:
    if args.reset:
        _reset_data()
    _setup()
    from django.conf import settings

    ensure_assets()
    print(f"Data directory: {settings.DATA_DIR}", flush=True)
    _migrate()
    from normalitet.identity.sync import sync_roles

    if _has_data():
        print("Demo data already there (use --reset to start again).", flush=True)
    else:
        from normalitet.demo.seed import seed

        seed(scale=args.scale, progress=True, stdout=sys.stdout)
        _seed_sentences(progress=True)
    sync_roles()
    _print_logins(args.port)
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def _reset_data() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "normalitet.config.settings.dev")
    data_dir = Path(os.environ.get("NORMALITET_DATA_DIR", "var")).resolve()
    if os.environ.get("DATABASE_URL"):
        _setup()
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        call_command("flush", database="health", interactive=False, verbosity=0)
        return
    for db in ("normalitet", "health"):
        for suffix in ("sqlite3", "sqlite3-wal", "sqlite3-shm"):
            (data_dir / f"{db}.{suffix}").unlink(missing_ok=True)
    print(f"Removed the demo databases in {data_dir}.", flush=True)


def _seed_sentences(*, progress: bool) -> dict[str, object]:
    """Sentences with calculated legal dates, and plans, for everyone in custody (synthetic)."""
    from tqdm import tqdm

    from normalitet.contact.demo import seed_contact
    from normalitet.health.demo import seed_health
    from normalitet.planning.demo import seed_plans
    from normalitet.planning.demo_reentry import seed_reentry
    from normalitet.planning.demo_transfers import seed_transfers
    from normalitet.regime.demo import seed_regime
    from normalitet.sentencing.demo import seed_sentences

    with tqdm(desc="Legal dates", unit="sentence", disable=not progress) as bar:
        summary = seed_sentences(progress=bar.update).as_dict()
    summary["plans"] = seed_plans()
    summary["transfers"] = seed_transfers()
    summary["reentry"] = seed_reentry(seed=20_261_124)
    # Court orders first: the regime keeps persons in full isolation out of group activities.
    summary["contact"] = seed_contact(seed=20_261_124)
    summary["regime"] = seed_regime(seed=20_261_124)
    summary["health"] = seed_health(seed=20_261_124)
    return summary


def _print_logins(port: int) -> None:
    from normalitet.demo.seed import DEMO_USERS
    from normalitet.identity.roles import ROLES, Role

    print("\nDemo logins (password: demo — for the demo only):")
    for username, label in DEMO_USERS:
        print(f"  {username:<16} {label}")
    # The family portal's demo visitor (made by the family-contact demo).
    print(f"  {'visitor':<16} {ROLES[Role.VISITOR].label}")
    print(f"\nOpen http://127.0.0.1:{port}/\n", flush=True)


def _serve(host: str, port: int) -> int:
    from waitress import serve

    from normalitet.config.wsgi_dev import application

    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    serve(application, host=host, port=port, threads=8, ident="normalitet")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    ensure_assets()
    _migrate()
    return _serve(args.host, args.port)


def cmd_seed(args: argparse.Namespace) -> int:
    _setup()
    _migrate()
    if _has_data():
        print(
            "The database already has persons. Use `normalitet demo --reset` to start again.",
            file=sys.stderr,
        )
        return 2
    from normalitet.demo.seed import seed
    from normalitet.identity.sync import sync_roles

    summary = seed(scale=args.scale, progress=not args.quiet, stdout=sys.stdout)
    summary["sentences"] = _seed_sentences(progress=not args.quiet)
    sync_roles()
    print(summary)
    return 0


def cmd_calc(args: argparse.Namespace) -> int:
    from normalitet.sentencing.calc_cli import run

    return run([args.file])


def cmd_recalc(args: argparse.Namespace) -> int:
    _setup()
    from tqdm import tqdm

    from normalitet.identity.policies import SystemActor
    from normalitet.identity.roles import Cap
    from normalitet.sentencing.models import Execution
    from normalitet.sentencing.recalc import recalc_all

    actor = SystemActor("recalc", frozenset({Cap.SENTENCE_RECALC_ALL}))
    total = Execution.objects.filter(is_active=True).count()
    with tqdm(total=total, unit="sentence", disable=args.quiet) as bar:
        summary = recalc_all(actor=actor, trigger=args.reason, progress=bar.update)
    print(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False))
    return 1 if summary.refused else 0


def cmd_allowance(args: argparse.Namespace) -> int:
    _setup()
    from normalitet.core.errors import DomainError
    from normalitet.regime.allowance import run_cli

    try:
        run_cli(args.week, sys.stdout)
    except DomainError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Verify both hash chains: the main audit log and the health service's own."""
    _setup()
    from normalitet.audit.services import verify_chain
    from normalitet.health.facade import verify_log

    status = 0
    for name, result in (("Audit log", verify_chain()), ("Health service's log", verify_log())):
        if result.ok:
            print(f"{name} intact: {result.checked} events checked.")
            continue
        print(
            f"{name} BROKEN at event {result.broken_at}: {result.problem} "
            f"({result.checked} events before it are intact).",
            file=sys.stderr,
        )
        status = 1
    return status


def cmd_health_sweep(args: argparse.Namespace) -> int:
    """Raise an alert for every observation check that has fallen due and not been made (run it
    every few minutes from cron or a timer; the watch pages also sweep when they load)."""
    _setup()
    from normalitet.health.facade import missed_check_sweep

    print(f"Missed checks raised: {missed_check_sweep()}")
    return 0


def cmd_apitoken(args: argparse.Namespace) -> int:
    _setup()
    from normalitet.identity.auth import token_create
    from normalitet.identity.models import User

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"No active user named {args.username!r}.", file=sys.stderr)
        return 2
    print(token_create(user=user, name=args.name))
    return 0


def cmd_syncroles(args: argparse.Namespace) -> int:
    _setup()
    _migrate()
    from normalitet.identity.sync import sync_roles

    for role, members in sync_roles().items():
        print(f"{role:<20} {members} users")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["normalitet manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="normalitet", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="set up the demo (migrations, assets, data) and serve it")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--no-serve", action="store_true", help="set up only")
    p.add_argument("--reset", action="store_true", help="start from an empty database")
    p.add_argument("--scale", default="national", choices=["small", "national", "large"])
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the application")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("seed", help="fill an empty database with synthetic data")
    p.add_argument("--scale", default="national", choices=["small", "national", "large"])
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("calc", help="compute a sentence's legal dates from JSON (FILE or -)")
    p.add_argument("file")
    p.set_defaults(func=cmd_calc)

    p = sub.add_parser("recalc", help="recalculate the legal dates of every active sentence")
    p.add_argument("--all", action="store_true", required=True, help="every active sentence")
    p.add_argument("--reason", default="recalculation of all active sentences")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_recalc)

    p = sub.add_parser(
        "allowance", help="compute the daily allowance of a week (up to today) for every facility"
    )
    p.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: this week)")
    p.set_defaults(func=cmd_allowance)

    p = sub.add_parser("audit", help="audit log tools")
    p.add_argument("action", choices=["verify"])
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("health-sweep", help="raise alerts for observation checks not made")
    p.set_defaults(func=cmd_health_sweep)

    p = sub.add_parser("apitoken", help="print a new API bearer token for a user")
    p.add_argument("username")
    p.add_argument("--name", default="cli")
    p.set_defaults(func=cmd_apitoken)

    p = sub.add_parser("syncroles", help="sync the roles defined in code to groups")
    p.set_defaults(func=cmd_syncroles)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

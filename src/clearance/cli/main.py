"""The `clearance` entry point, and the one place errors become exit statuses.

Typer (like click) reports usage errors with status 2, which `clearance decide` uses for "degrade or
safeguard"; so the app runs in non-standalone mode and every error is mapped here: usage 64, data
65, missing input 66, unavailable store 69, internal 70, configuration 78 (sysexits.h).
"""

from __future__ import annotations

import os
import sys

import typer
from rich.markup import escape

from clearance.cli import audit as audit_cli
from clearance.cli import (
    decide,
    demo,
    directives,
    init,
    keys,
    licenses,
    lists,
    policy,
    review,
    safeguards,
    screen,
    serve,
    subjects,
    tokens,
)
from clearance.cli.common import err_console
from clearance.errors import ClearanceError, UsageError

app = typer.Typer(
    name="clearance",
    help="Export-control enforcement for hosted AI models: who may use which model, decided exactly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("init")(init.init)
app.command("decide")(decide.decide)
app.command("demo")(demo.demo)
app.command("screen")(screen.screen)
app.command("serve")(serve.serve)
app.add_typer(directives.app, name="directives")
app.add_typer(subjects.app, name="subjects")
app.add_typer(licenses.app, name="licenses")
app.add_typer(policy.app, name="policy")
app.add_typer(safeguards.app, name="safeguards")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(lists.app, name="lists")
app.add_typer(review.app, name="review")
app.add_typer(keys.app, name="keys")
app.add_typer(tokens.app, name="tokens")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and exits with) the status a script can rely on."""
    try:
        result = app(args=argv, prog_name="clearance", standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        code = 130
    except typer.TyperException as exc:  # bad options or arguments: Typer's usage errors
        err_console.print(f"[bold red]usage error:[/] {escape(exc.format_message())}")
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            err_console.print(f"see `{ctx.command_path} --help`")
        code = UsageError.exit_code
    except ClearanceError as exc:
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", soft_wrap=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # never a bare traceback for a user; keep it when debugging
        if os.environ.get("CLEARANCE_DEBUG"):
            raise
        err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
                          "set CLEARANCE_DEBUG=1 to see the traceback, and please report it")
        code = 70
    if argv is None:
        sys.exit(code)
    return code

"""The ``narrascope`` command: a thin layer over the library.

Every command takes ``--db`` (a SQLite path or a database URL; ``$NARRASCOPE_DB`` or
``./narrascope.db`` by default) and ``--config``. Errors the user can fix are printed as one
line, ``error: WHERE: reason``, never as a traceback. Exit status: 0 success, 1 some inputs
could not be used (the rest went in), 2 nothing was done (bad usage, unusable store or
settings), 130 interrupted.
"""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="narrascope")
def main() -> None:
    """See how a story is told across outlets: ingest articles, analyze them, export the results."""


# The commands register themselves on `main` when their modules load.
from . import analysis, batchcmds, benchcmd, data, serve  # noqa: E402, F401
from .common import Context, _progress  # noqa: E402, F401  (used by tests and library callers)

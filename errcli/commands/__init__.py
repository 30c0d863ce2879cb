"""One module per command: options in, an answer out (data, and the exit status it means); nothing printed.

Each answer is shown by its view in :mod:`errcli.output`; :mod:`errcli.cli.main` pairs them as
:mod:`errcli.cli.spec` says.
"""

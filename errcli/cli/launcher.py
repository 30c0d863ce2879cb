#!/usr/bin/env python3
"""The ``errcode`` command as installed (the installer puts its own Python on the first line).

A console-script entry point would do the same, but the wrapper installers write for one imports
``re`` first, a third of what ``errcode --version`` costs; this one imports only errcode's fast lane.
"""

if __name__ == "__main__":
    from errcli.cli.fast import leave, main

    try:
        main()
    except SystemExit as done:
        leave(done.code)

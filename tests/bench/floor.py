"""The stack floor: a minimal Typer app that prints one rich Table (SPEC §6)."""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main(code: str) -> None:
    table = Table("code", "title")
    table.add_row(code, "floor")
    Console().print(table)


if __name__ == "__main__":
    app()

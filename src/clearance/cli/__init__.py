"""The `clearance` command line: Typer commands over the home, the store and the policy."""

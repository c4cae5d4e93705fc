"""The `iin` command, one module per group of subcommands; `commands.main` is the entry point."""

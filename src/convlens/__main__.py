from convlens.cli import entry

entry()

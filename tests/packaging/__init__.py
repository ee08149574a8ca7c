"""The distributions built, installed from their wheels into fresh venvs, and run there."""

# Placeholder: the real quickstart example replaces this file.
print("TODO")

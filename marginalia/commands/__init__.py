"""Commands: the command line verbs (build, check, new, serve) and how they report."""

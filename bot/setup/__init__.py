"""Setup mode: the pages and GitHub calls that create or import the app's credentials."""

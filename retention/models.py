"""retention: built in later work; the app is installed so its migrations have a home."""

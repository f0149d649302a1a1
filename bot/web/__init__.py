"""The web server: the app factory, the webhook endpoint, /health. Composes handlers and jobs."""

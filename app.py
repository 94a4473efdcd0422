"""The WSGI entry point for `flask` and gunicorn."""

from matchmaker.factory import create_app

app = create_app()

"""The WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from trainer import create_app

app = create_app()

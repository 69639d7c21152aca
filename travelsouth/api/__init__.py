"""The read API's shared machinery: authentication, throttling, errors, pagination, CSV, schema.

Each app's resources live in ``<app>/api/``; travelsouth/urls.py puts them under /api/v1/.
"""

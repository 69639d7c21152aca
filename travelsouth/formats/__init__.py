"""Number and date formats where the portal differs from Django's (settings.FORMAT_MODULE_PATH)."""

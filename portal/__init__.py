"""The portal's own pages, which draw on every app: the home page and the language switch."""

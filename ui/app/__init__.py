"""The Streamlit investigator workbench (``collabgraph ui``) and its pure rendering helpers.

``main.py`` is the Streamlit entry point; ``views/`` holds one script per page. ``network``,
``layout``, ``hood`` and ``data`` do not import streamlit, so the CLI and tests use them too.
"""

"""The workbench pages: one Streamlit script each, run by ``main.py`` (never imported)."""

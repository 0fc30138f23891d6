"""User interfaces: the command line (cli.py, commands/) and the Streamlit workbench (app/)."""

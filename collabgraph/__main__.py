from collabgraph.ui.cli import main

main()

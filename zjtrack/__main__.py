from zjtrack.cli import main

main()

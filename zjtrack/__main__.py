from zjtrack.entry import main

main()

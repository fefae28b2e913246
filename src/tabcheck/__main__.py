from tabcheck.cli import main

main()

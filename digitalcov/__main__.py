from digitalcov.cli import main

main()

from errcli.cli import main

main()

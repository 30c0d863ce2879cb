from errcli.cli.fast import main

main()

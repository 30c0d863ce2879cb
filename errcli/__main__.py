from errcli.fast import main

main()

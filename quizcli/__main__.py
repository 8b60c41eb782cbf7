from quizcli.entry import main

main()

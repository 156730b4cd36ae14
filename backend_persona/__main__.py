from backend_persona.entry import main

main()

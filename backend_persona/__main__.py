from backend_persona.cli import main

main()

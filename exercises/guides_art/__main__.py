from exercises.guides_art import main

main()

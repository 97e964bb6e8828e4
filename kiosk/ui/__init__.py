"""Qt building blocks shared by the screens: theme, fonts, touch widgets."""

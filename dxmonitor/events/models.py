"""No models yet: this app's tables arrive with its issue."""

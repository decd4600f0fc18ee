"""critchem."""

"""Trade statistics: sources, canonical store and indicators."""

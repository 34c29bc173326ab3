"""Labour-law consultation: statutes, the FAQ and its search, calculators, cited answers."""

"""Reading, normalising, checking and loading council extracts, driven by the contract."""

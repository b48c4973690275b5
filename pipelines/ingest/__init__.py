"""Reading, normalising and loading council extracts, driven by the contract in contract.yml."""

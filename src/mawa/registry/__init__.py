"""The registry: households and people, shelters, and their movements between sites."""

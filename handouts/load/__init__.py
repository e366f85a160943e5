"""Load: text the clinic edits (YAML files) into validated, frozen model objects."""

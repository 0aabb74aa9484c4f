"""Knowledge-base curation tooling (``antidote kb``): YAML loading, validation, reports."""

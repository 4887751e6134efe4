"""Reference data: States, regional groups, organisations, mechanisms, UPR sessions, SDGs, funds."""

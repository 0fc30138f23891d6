"""Sources → records: OpenAlex works, collaboration tables, ROR, risk lists, technologies."""

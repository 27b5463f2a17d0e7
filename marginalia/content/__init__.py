"""Content: front matter, fields and schemas, the frozen records, loading and validating them, and the seeds."""

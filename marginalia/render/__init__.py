"""Render: view objects for the templates, the pages, feeds and JSON-LD, Markdown and URLs."""

"""Output: writing the site all-or-nothing, and the Pagefind search index."""

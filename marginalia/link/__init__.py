"""Link: anchoring each quote in its article and building the cross-reference library."""

"""Content files (framework, modules, vignettes, scales, pathways): validation and loading."""

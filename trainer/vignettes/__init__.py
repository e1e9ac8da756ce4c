"""Case vignettes: the catalogue, the stage-by-stage player, drafts and scored attempts."""

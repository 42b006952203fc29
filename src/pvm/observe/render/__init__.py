"""Terminal renderings of what pvm observes, drawn with rich."""

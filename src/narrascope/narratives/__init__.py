"""Narratives: stance toward theses, persuasion techniques, outlet profiles, recurring narratives."""

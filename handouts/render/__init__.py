"""Render: a Handout into PDF bytes with reportlab (imported only when a PDF is made)."""

from handouts.render.pdf import render

__all__ = ["render"]

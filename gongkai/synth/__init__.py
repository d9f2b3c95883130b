"""Synthetic reports with known answers: records, prose, text/HTML/DOCX/PDF layouts, gold files.

Real report texts may not ship with the project, so tests, examples and the
narrative model's extra training data come from here.
"""

from .cli import KINDS, synthesize
from .prose import render_prose
from .records import random_record
from .render_html import render_html
from .render_text import render_txt

__all__ = ["KINDS", "random_record", "render_html", "render_prose", "render_txt", "synthesize"]

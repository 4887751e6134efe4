"""Arabic: Django's separators (decimal comma, thousands full stop), grouped by three.

Both separators are bidirectional "common separators", so a grouped number stays one number on a
right-to-left page (a space would let the groups swap places).
"""

NUMBER_GROUPING = 3

"""matplotlib figures. One module per topic; nothing in the numeric core imports this.

Signed results use a diverging colour map centred on zero.
"""

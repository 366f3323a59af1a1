"""Printing: print HTML in, PDFs out, laid out by WeasyPrint in a process of its own.

The builder's side is engine.py (the running engine) and reuse.py (which lays out only what
changed). The engine's process runs worker.py, reading files through sandbox.py (by the rule in
confine.py, by which the pathway's logo is read too); a long document is laid out in parts
(parts.py) and joined (join.py). personalise.py makes each
learner's copy; subsets.py and tagged.py are the pikepdf work that copies and joins share. Every
PDF the engine hands back is first put right for a screen reader by finish.py (and links.py). The
two sides speak protocol.py.
"""

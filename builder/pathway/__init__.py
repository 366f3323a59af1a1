"""A pathway file in, a Pathway out: read (load.py), follow `extends` (chain.py), apply each
extending file (extend.py), and check it against the model (validate.py, model.py)."""

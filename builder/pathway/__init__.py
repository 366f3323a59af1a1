"""A pathway file in, a Pathway out: read as YAML that remembers where each node is (load.py),
its `extends` chain followed (chain.py), each extending file applied (extend.py) and checked
against the model (validate.py, model.py); assemble.py does it all in that order."""

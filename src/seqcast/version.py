"""seqcast's version, on the ground floor so that any module may name it.

The package's face (``seqcast/__init__.py``) hands out ``Forecaster``, which
imports the bundle; a bundle that read the version from the face would close a
circle. Everything reads it from here.

>>> __version__
'0.1.0'
"""

__version__ = "0.1.0"

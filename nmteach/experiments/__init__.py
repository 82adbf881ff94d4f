"""What each lesson figure computes, as pure functions returning frozen dataclasses.

One module per lesson. The apps in :mod:`nmteach.apps` draw these results; the tests of the
lessons' claims (``tests/test_claims.py``) and of the apps' presets call the same functions
without any widget or figure, so a sentence like "at the defaults the focus is stable" is
checked on exactly what the learner sees.
"""

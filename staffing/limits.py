"""Lengths of the free text people type: generous for the work, bounded so a pasted document
or a hostile post cannot fill a page or a row."""

# A description or notes: about two printed pages.
LONG_TEXT = 5000
# A note beside a decision (a reason, a point to clear).
NOTE_TEXT = 2000

"""Your own handwriting: the personal samples, how well the network reads them, and
fine-tuning on them (one more run on the window's run controller) with its Undo.
"""

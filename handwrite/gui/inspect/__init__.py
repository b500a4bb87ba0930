"""Inside the network and the test results: first-layer filters, feature maps, the
preprocessing steps, saliency, the confusion matrix, and the mosaic they are drawn with.

Each view follows the model (``on_model_changed``) and, where it applies, the drawing
(``on_input_changed``), paced by its own timer and idle while hidden
(:mod:`~handwrite.gui.live_view`).
"""

"""Inside the network and the test results: first-layer filters, feature maps and one
unit's arithmetic, the preprocessing steps, saliency, the confusion matrix, the map of what the
network knows, the drawing across the epochs, the robustness curves, and the mosaic, grids
and plots they are drawn with.

Each view follows the model (``on_model_changed``) and, where it applies, the drawing
(``on_input_changed``), paced by its own timer and idle while hidden
(:mod:`~handwrite.gui.live_view`); long work (the map's fit, the robustness curves) runs on a
:class:`~handwrite.gui.worker.GeneratorWorker` with a progress bar and Cancel.
"""

"""Drawing -> answer: the canvas, the prediction flow, and the views of its result.

CanvasView --stroke_changed (paced) / stroke_finished--> PredictionController
    -> canvas bitmap -> preprocess to 28x28 -> model -> softmax
    --input_changed--> NetworkInputView   --prediction_changed--> ProbabilityView
"""

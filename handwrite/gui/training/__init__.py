"""Training in the window: the controls, the run controller, the job its worker thread runs,
the live curves, and the pinned probe digits.

    TrainingPanel --start/continue/pause/stop--> RunController (explicit RunState)
        -> TrainingJob.run() (Qt-free generator) on a GeneratorWorker's QThread
        --started/batch_done/epoch_done/snapshot/...--> TrainingPanel, TrainingPlot, ...
"""

"""Grading a learner's PyTorch module: the parent side (exercises, runner, result) never imports torch;
the child side (harness, checklib, each exercise's checks.py) runs in an isolated process."""

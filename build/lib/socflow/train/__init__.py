"""Stages 1 and 2 (rules of teacher.smk and student.smk): hypermodels, the BO search (one worker or a journal
shared by several), knowledge distillation, quantization-aware pruning, and the teacher and student stages."""

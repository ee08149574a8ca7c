"""Batch record classes for batch_write, batch_read, batch_operate, batch_remove and batch_apply."""

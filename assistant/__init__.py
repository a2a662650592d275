"""讲话学习助手 — a study assistant for one political speech and the documents around it.

Flow: documents → chunks → index → retrieval → answer / verdict / notes → CLI and UI.
"""
__version__ = "0.1.0"

"""The matching domain: plain Python (numpy, faiss, sentence-transformers).

Nothing in this package may import Flask or touch a database session; a test
proves it in a subprocess. Services hand it plain data and take plain data back.
"""

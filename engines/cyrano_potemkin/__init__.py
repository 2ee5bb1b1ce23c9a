"""Potemkin: checks what an AI wrote against the documents it should rest on, and the citations it gives."""

"""Agencies in the loop: the directory, routing, the disclosure filter, emails, the liaison's side.

Kept free of imports so that the workflow can use the disclosure filter without a cycle.
"""

"""What is asked and how it scores: instruments as data, scoring, calculators, schedules.

Standard library only: no Qt, no SQL. Everything here is a plain function over plain data.
"""

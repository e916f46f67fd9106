"""The outcome report (issue 15 item 5): every outcome of the registry record, per arm and overall.

``dataset`` reads the analysis tables (the CSV export's subjects / visit measures / outcome
files) through the services; ``tables`` turns those rows ALONE into the report's numbers;
``pdf`` prints them, ``command`` is the ``report`` CLI. ``stats`` holds the estimators.
"""

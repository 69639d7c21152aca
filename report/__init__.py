"""The report "Travel South Over Cloud" as data: its data set (data/report/*.yaml) and the loader
that puts it into the database (``report.loading.load_report``, ``manage.py load_report``)."""

"""juesuan: Chinese department final-accounts reports (部门决算公开) as open data."""

__version__ = "0.1.0"

"""gongkai (公开): government information-disclosure annual reports into clean, validated data."""

__version__ = "0.1.0"

# Our adjustments to Django's nl formats: dates as "3 dec 2026" (month in lower case, as Dutch
# writes it), short like the English pages.
DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"

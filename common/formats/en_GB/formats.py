# Our adjustments to Django's en_GB formats: dates as "3 Dec 2026", times on the 24-hour clock
# as in the Dutch office.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"

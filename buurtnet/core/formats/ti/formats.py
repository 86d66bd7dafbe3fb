# Tigrinya (ti), as in CLDR's Tigrinya locale for Eritrea (ti-ER): the day before the month,
# short dates dd/MM/y, Arabic digits, a full stop before decimals and a comma between thousands.
# Times use the 24-hour clock, as Buurtnet's pages do in every language (its readers live in the
# Netherlands). "፣" is the Ethiopic comma.
# The format reference: https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
DATE_FORMAT = "j F Y"  # 26 ሕዳር 2026
TIME_FORMAT = "H:i"  # 19:30
DATETIME_FORMAT = "j F Y፣ H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 26/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# What people may type. Django adds the ISO formats (2026-11-26, 19:30:00) to each list itself.
# The first of each list is also how a form field without its own format shows a value.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 26/11/2026
    "%d/%m/%y",  # 26/11/26
    "%d-%m-%Y",  # 26-11-2026
    "%d.%m.%Y",  # 26.11.2026
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 19:30
    "%H:%M:%S",  # 19:30:59
    "%H:%M:%S.%f",  # 19:30:59.000200
    "%H.%M",  # 19.30
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",  # 26/11/2026 19:30
    "%d/%m/%Y %H:%M:%S",  # 26/11/2026 19:30:59
    "%d/%m/%Y %H:%M:%S.%f",  # 26/11/2026 19:30:59.000200
    "%d/%m/%y %H:%M",  # 26/11/26 19:30
    "%d/%m/%y %H:%M:%S",  # 26/11/26 19:30:59
    "%d-%m-%Y %H:%M",  # 26-11-2026 19:30
    "%d-%m-%Y %H:%M:%S",  # 26-11-2026 19:30:59
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

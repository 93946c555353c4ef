from oscar.apps.voucher.models import *

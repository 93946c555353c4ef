from oscar.apps.basket.models import *

from django.contrib import admin

from accounts.models import Account, AccountChange, Address, Contact, Industry, RelationshipType

admin.site.register([Account, AccountChange, Address, Contact, Industry, RelationshipType])
